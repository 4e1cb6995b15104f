import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * `express.json({ limit, strict: true })` with a short way for the usual request (isPlainJson): read and parsed by
 * readPlainJson, as express would — express's reader costs about a fifth of a chat API request. Anything else
 * (another charset, gzip, a chunked or oversized body) goes to express.json itself, so every refusal (413, 415, 400)
 * is exactly express's.
 */
export function jsonBody(limit: number): RequestHandler {
  const full = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req as { _body?: boolean })._body || !isPlainJson(req, limit)) return full(req, res, next);
    (req as { _body?: boolean })._body = true;
    readPlainJson(req, (err, body) => {
      if (!err) req.body = body;
      next(err);
    });
  };
}

/**
 * The usual JSON request: a body of stated length within the limit, plain `application/json` (or with
 * `charset=utf-8`), not compressed — what readPlainJson reads.
 */
export function isPlainJson(req: IncomingMessage, limit: number): boolean {
  const length = req.headers['content-length'];
  const encoding = req.headers['content-encoding'];
  return (
    length !== undefined &&
    /^\d{1,9}$/.test(length) &&
    Number(length) <= limit &&
    req.headers['transfer-encoding'] === undefined &&
    (encoding === undefined || encoding.toLowerCase() === 'identity') &&
    PLAIN_TYPE.test(req.headers['content-type'] ?? '')
  );
}

/**
 * Reads and parses the body of a plain JSON request (isPlainJson) as express.json would: a UTF-8 byte order mark
 * dropped, an empty body read as {}, only an object or array accepted; its errors carry express's status and type.
 * `done` is called once.
 */
export function readPlainJson(req: IncomingMessage, done: (err: Error | undefined, body?: unknown) => void): void {
  const expected = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (err: Error | undefined, body?: unknown) => {
    if (finished) return;
    finished = true;
    req.removeListener('data', onData);
    done(err, body);
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
  };
  // 'close' follows every request, also a complete one: the error (and its stack trace) only when still reading
  const aborted = () => {
    if (!finished) finish(httpError(400, 'request aborted', 'request.aborted'));
  };
  req.on('data', onData);
  req.once('aborted', aborted);
  req.once('error', (err) => finish(err));
  req.once('close', aborted);
  req.once('end', () => {
    if (received !== expected) return finish(httpError(400, 'request size did not match content length', 'request.size.invalid'));
    let text = Buffer.concat(chunks, received).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0) return finish(undefined, {});
    const first = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text)?.[1];
    let body: unknown;
    try {
      if (first !== '{' && first !== '[') throw new SyntaxError(`Unexpected token ${first ?? 'end'} in JSON at position 0`);
      body = JSON.parse(text);
    } catch (err) {
      return finish(Object.assign(err as Error, { status: 400, statusCode: 400, type: 'entity.parse.failed', expose: true }));
    }
    finish(undefined, body);
  });
}

/** application/json, alone or with charset=utf-8: the only types read here (type-is and express.json agree on them). */
const PLAIN_TYPE = /^application\/json(?:\s*;\s*charset=(?:"utf-8"|utf-8))?$/i;

function httpError(status: number, message: string, type: string): Error {
  return Object.assign(new Error(message), { status, statusCode: status, type, expose: true });
}
