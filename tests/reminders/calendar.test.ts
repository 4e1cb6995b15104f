import { describe, expect, it } from 'vitest';
import { WorkdayCalendar } from '../../src/reminders/calendar.js';
import { readReminderConfig } from '../../src/reminders/config.js';
import { isoWeek } from '../../src/reminders/time.js';

const cal = (days: Record<string, 'work' | 'off'> = {}, store: Record<string, { type: 'work' | 'off'; at: string }> = {}) =>
  new WorkdayCalendar('Asia/Shanghai', { days }, () => store);

describe('Chinese workdays decide when reminders go out', () => {
  it('National Day 2026-10-01 is off; Saturday 2026-10-10 and Sunday 2026-01-04 are 调休 workdays', () => {
    const c = cal();
    expect(c.isWorkday('2026-10-01')).toBe(false);
    expect(c.isWorkday('2026-10-05')).toBe(false); // a Monday inside the holiday
    expect(c.isWorkday('2026-10-10')).toBe(true);
    expect(c.isWorkday('2026-01-04')).toBe(true);
    expect(c.isWorkday('2026-12-05')).toBe(false); // ordinary Saturday
    expect(c.day('2026-10-01')).toMatchObject({ source: 'chinese-days', name: '国庆节', covered: true });
  });

  it('uses the Shanghai date of an instant, even when the server runs in UTC', () => {
    // 00:30 on 10-08 in Shanghai is still 10-07 in UTC (a holiday) — the answer must be "workday".
    expect(cal().isWorkday(new Date('2026-10-08T00:30:00+08:00'))).toBe(true);
  });

  it('a year the package does not cover falls back to Mon–Fri, and the administrator can fill it in', () => {
    const c = cal({ '2027-02-08': 'off', '2027-02-20': 'work' });
    expect(c.isCovered(2026)).toBe(true);
    expect(c.isCovered(2027)).toBe(false);
    expect(c.day('2027-02-09')).toMatchObject({ work: true, source: 'weekday' });
    expect(c.isWorkday('2027-02-08')).toBe(false);
    expect(c.isWorkday('2027-02-20')).toBe(true);
  });

  it('an override set from the dashboard wins over the file and the package', () => {
    const c = cal({ '2026-12-07': 'work' }, { '2026-12-07': { type: 'off', at: '' } });
    expect(c.day('2026-12-07')).toMatchObject({ work: false, source: 'store' });
  });

  it('ISO weeks name the digest period', () => {
    expect(isoWeek('2026-12-07')).toBe('2026-W50');
    expect(isoWeek('2026-01-04')).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
  });
});

describe('reminder configuration', () => {
  it('names the variable that is wrong', () => {
    expect(() => readReminderConfig({ TZ_REMINDERS: 'Asia/Shangai' })).toThrow(/TZ_REMINDERS/);
    expect(() => readReminderConfig({ REMINDER_MAX_ATTEMPTS: '0' })).toThrow(/REMINDER_MAX_ATTEMPTS/);
    expect(() => readReminderConfig({ REMINDER_UNBOUND: 'x' })).toThrow(/REMINDER_UNBOUND/);
    expect(() => readReminderConfig({ REMINDERS_FILE: '/etc/passwd' })).toThrow(/REMINDERS_FILE/);
  });

  it('reads data/reminders.json by default', () => {
    const c = readReminderConfig({});
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.defaults.weeklyDigest).toEqual({ enabled: true, weekday: 1, time: '09:10' });
    expect(c.defaults.dueSoon.days).toEqual([7, 3, 1]);
  });
});
