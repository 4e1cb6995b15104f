// The import worker when the server runs from TypeScript (tsx, vitest): register tsx's loader inside the
// worker, then load the real entry. Compiled builds start dist/…/table-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./table-worker.ts');
