/** The report worker's entry: lay out one 督办通报 (workerData) as .docx and post the bytes back. */
import { parentPort, workerData } from 'node:worker_threads';
import { renderReportDocx } from './report-docx.js';
import type { ReportData } from './report.js';

try {
  const bytes = await renderReportDocx((workerData as { data: ReportData }).data);
  const out = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  parentPort!.postMessage({ ok: true, bytes: out });
} catch (err) {
  parentPort!.postMessage({ ok: false, cause: String(err) });
}
