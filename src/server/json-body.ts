import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * `express.json({ limit, strict: true })` with a short way for the usual request: a body of stated length within the
 * limit, plain `application/json` (or with `charset=utf-8`), not compressed. That one is read and parsed here, as
 * express would (a UTF-8 byte order mark dropped, an empty body read as {}, only an object or array accepted) —
 * express's reader costs about a fifth of a chat API request. Anything else (another charset, gzip, a chunked or
 * oversized body) goes to express.json itself, so every refusal (413, 415, 400) is exactly express's.
 */
export function jsonBody(limit: number): RequestHandler {
  const full = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    const length = req.headers['content-length'];
    const encoding = req.headers['content-encoding'];
    const plain =
      !(req as { _body?: boolean })._body &&
      length !== undefined &&
      /^\d{1,9}$/.test(length) &&
      Number(length) <= limit &&
      req.headers['transfer-encoding'] === undefined &&
      (encoding === undefined || encoding.toLowerCase() === 'identity') &&
      PLAIN_TYPE.test(req.headers['content-type'] ?? '');
    if (!plain) return full(req, res, next);
    (req as { _body?: boolean })._body = true;
    const expected = Number(length);
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      next(err);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    // 'close' follows every request, also a complete one: the error (and its stack trace) only when still reading
    const aborted = () => {
      if (!done) finish(httpError(400, 'request aborted', 'request.aborted'));
    };
    req.on('data', onData);
    req.once('aborted', aborted);
    req.once('error', (err) => finish(err));
    req.once('close', aborted);
    req.once('end', () => {
      if (received !== expected) return finish(httpError(400, 'request size did not match content length', 'request.size.invalid'));
      let text = Buffer.concat(chunks, received).toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.length === 0) {
        req.body = {};
        return finish();
      }
      const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text)?.[1];
      try {
        if (first !== '{' && first !== '[') throw new SyntaxError(`Unexpected token ${first ?? 'end'} in JSON at position 0`);
        req.body = JSON.parse(text);
      } catch (err) {
        return finish(Object.assign(err as Error, { status: 400, statusCode: 400, type: 'entity.parse.failed', expose: true }));
      }
      finish();
    });
  };
}

/** application/json, alone or with charset=utf-8: the only types read here (type-is and express.json agree on them). */
const PLAIN_TYPE = /^application\/json(?:\s*;\s*charset=(?:"utf-8"|utf-8))?$/i;

function httpError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}
