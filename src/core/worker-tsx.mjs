// A worker started from TypeScript (tsx, vitest): register tsx's loader inside the worker, then load the
// real entry, whose URL runInWorker passes as the first argument. Compiled builds start the .js entry directly.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
