/** The most sends that fall inside any window of `windowMs` (times in ms, ascending). */
export function maxInWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j] - times[i] < windowMs; j++) n++;
    max = Math.max(max, n);
  }
  return max;
}
