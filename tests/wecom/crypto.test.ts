/** The official WXBizMsgCrypt sample vectors (key sets A and B), 32-byte padding, and failure modes. */
import { describe, expect, it } from 'vitest';
import * as official from '@wecom/crypto';
import { WecomCrypt, WecomCryptoError, decodeAesKey, pkcs7Pad, pkcs7Unpad, signature, signatureMatches } from '../../src/channels/wecom/crypto.js';
import { parseFlatXml } from '../../src/channels/wecom/xml.js';

const A = { token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7' };
const B = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', corpId: 'ww1436e0e65a779aee' };

const A_URL = {
  sig: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', ts: '1409659589', nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const A_POST = {
  sig: '477715d11cdb4164915debcba66cb864d751f3e6', ts: '1409659813', nonce: '1372623149',
  body: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>',
};
const B_URL = {
  sig: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb', ts: '1476416373', nonce: '47744683',
  echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const B_POST = {
  sig: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e', ts: '1476422779', nonce: '1597212914',
  body: '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>',
};

describe('official vectors', () => {
  it('A-URL: signature matches, echostr decrypts to 1616140317555161061 with receiveid = CorpID', () => {
    const c = new WecomCrypt(A.token, A.aesKey, A.corpId);
    expect(c.verify(A_URL.sig, A_URL.ts, A_URL.nonce, A_URL.echostr)).toBe(true);
    const d = c.decrypt(A_URL.echostr);
    expect(d.message).toBe('1616140317555161061');
    expect(d.receiveId).toBe(A.corpId);
  });

  it('A-POST: signature over Encrypt, decrypts to the text message, pad 30 (32-byte PKCS#7)', () => {
    const c = new WecomCrypt(A.token, A.aesKey, A.corpId);
    const env = parseFlatXml(A_POST.body);
    expect(env.AgentID).toBe('218');
    expect(c.verify(A_POST.sig, A_POST.ts, A_POST.nonce, env.Encrypt)).toBe(true);
    const d = c.decrypt(env.Encrypt);
    expect(d.pad).toBe(30);
    const msg = parseFlatXml(d.message);
    expect(msg).toMatchObject({ ToUserName: A.corpId, FromUserName: 'mycreate', CreateTime: '1409659813', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218' });
  });

  it('B-URL: signature matches, decrypts to 1288432023552776189', () => {
    const c = new WecomCrypt(B.token, B.aesKey, B.corpId);
    expect(c.verify(B_URL.sig, B_URL.ts, B_URL.nonce, B_URL.echostr)).toBe(true);
    expect(c.decrypt(B_URL.echostr).message).toBe('1288432023552776189');
  });

  it('B-POST: decrypts to 你好 from ChenJiaShun (no CDATA), pad 22', () => {
    const c = new WecomCrypt(B.token, B.aesKey, B.corpId);
    const env = parseFlatXml(B_POST.body);
    expect(c.verify(B_POST.sig, B_POST.ts, B_POST.nonce, env.Encrypt)).toBe(true);
    const d = c.decrypt(env.Encrypt);
    expect(d.pad).toBe(22);
    expect(parseFlatXml(d.message)).toMatchObject({ FromUserName: 'ChenJiaShun', Content: '你好', MsgId: '1456453720', AgentID: '1000002' });
  });

  it('cross-pairings fail: A vector with B keys', () => {
    const c = new WecomCrypt(B.token, B.aesKey, B.corpId);
    expect(c.verify(A_URL.sig, A_URL.ts, A_URL.nonce, A_URL.echostr)).toBe(false);
    expect(() => c.decrypt(A_URL.echostr)).toThrow(WecomCryptoError);
  });
});

describe('crypto rules', () => {
  it('a wrong receive id (CorpID) is rejected', () => {
    const c = new WecomCrypt(A.token, A.aesKey, 'wwSomeOtherCorp');
    expect(() => c.decrypt(A_URL.echostr)).toThrow(/ReceiveId/);
  });

  it('round trip interoperates with @wecom/crypto both ways, including the empty smart-bot receive id', () => {
    for (const id of ['', B.corpId]) {
      const c = new WecomCrypt(B.token, B.aesKey, id);
      const mine = c.encrypt('{"msgtype":"text","text":{"content":"谁负责调解员培训?"}}');
      expect(official.decrypt(B.aesKey, mine)).toMatchObject({ message: '{"msgtype":"text","text":{"content":"谁负责调解员培训?"}}', id });
      const theirs = official.encrypt(B.aesKey, '第48项', id);
      expect(c.decrypt(theirs).message).toBe('第48项');
      expect(c.sign('1', '2', theirs)).toBe(official.getSignature(B.token, '1', '2', theirs));
    }
  });

  it('pads to 32 bytes (1..32) and rejects bad padding', () => {
    for (const n of [0, 1, 31, 32, 33]) {
      const p = pkcs7Pad(Buffer.alloc(n, 7));
      expect(p.length % 32).toBe(0);
      expect(p.length - n).toBeGreaterThanOrEqual(1);
      expect(p.length - n).toBeLessThanOrEqual(32);
      expect(pkcs7Unpad(p).length).toBe(n);
    }
    expect(() => pkcs7Unpad(Buffer.from([1, 2, 3, 0]))).toThrow();
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30, 1), Buffer.from([3, 2])]))).toThrow();
    expect(() => pkcs7Unpad(Buffer.alloc(64, 33))).toThrow();
  });

  it('AES key must be 43 chars decoding to 32 bytes; signature compare is strict', () => {
    expect(decodeAesKey(A.aesKey)).toHaveLength(32);
    expect(() => decodeAesKey(A.aesKey.slice(1))).toThrow();
    expect(() => decodeAesKey(`${A.aesKey.slice(0, 42)}!`)).toThrow();
    const s = signature(A.token, A_URL.ts, A_URL.nonce, A_URL.echostr);
    expect(signatureMatches(s, s)).toBe(true);
    expect(signatureMatches(s.toUpperCase(), s)).toBe(true);
    expect(signatureMatches(s.slice(0, 39), s)).toBe(false);
    expect(signatureMatches(undefined, s)).toBe(false);
    expect(signatureMatches(['x'], s)).toBe(false);
  });

  it('garbage ciphertext throws WecomCryptoError, never anything else', () => {
    const c = new WecomCrypt(A.token, A.aesKey, A.corpId);
    for (const bad of ['', 'abc', Buffer.alloc(32).toString('base64'), Buffer.alloc(48).toString('base64'), '%%%%']) {
      expect(() => c.decrypt(bad)).toThrow(WecomCryptoError);
    }
  });
});

describe('XML', () => {
  it('keeps 64-bit ids as strings and refuses DTDs and malformed input', () => {
    expect(parseFlatXml('<xml><MsgId>4561255354251345929</MsgId></xml>').MsgId).toBe('4561255354251345929');
    expect(() => parseFlatXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>')).toThrow();
    expect(() => parseFlatXml('<xml><A>')).toThrow();
    expect(() => parseFlatXml('{"a":1}')).toThrow();
    expect(() => parseFlatXml('<other/>')).toThrow();
    expect(parseFlatXml('<xml><A>&amp;lt;</A></xml>').A).toBe('&amp;lt;');
  });
});
