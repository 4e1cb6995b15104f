/**
 * WeCom callback crypto (WXBizMsgCrypt scheme), from the spec with node:crypto:
 * signature = sha1(sort([token, timestamp, nonce, encrypt]).join('')),
 * AES-256-CBC with IV = key[0..16), PKCS#7 padded to 32 bytes,
 * plaintext = random(16) ‖ len(4, BE) ‖ msg ‖ receiveId.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const BLOCK = 32;

export class WecomCryptoError extends Error {
  constructor(
    readonly code: 'signature' | 'decrypt' | 'receiveid' | 'key',
    message: string,
  ) {
    super(message);
  }
}

/** EncodingAESKey (43 chars) → 32-byte key; throws on anything else. */
export function decodeAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WecomCryptoError('key', 'EncodingAESKey 应为 43 个字母数字字符');
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WecomCryptoError('key', 'EncodingAESKey 解码后不是 32 字节');
  return key;
}

export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

/** Constant-time comparison of two hex signatures (false for any malformed input). */
export function signatureMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase()), Buffer.from(expected));
}

export function pkcs7Pad(buf: Buffer, block = BLOCK): Buffer {
  const n = block - (buf.length % block);
  return Buffer.concat([buf, Buffer.alloc(n, n)]);
}

/** Strict PKCS#7 removal: pad value 1..32 and every pad byte equal. */
export function pkcs7Unpad(buf: Buffer, block = BLOCK): Buffer {
  const n = buf.length ? buf[buf.length - 1] : 0;
  if (n < 1 || n > block || n > buf.length) throw new WecomCryptoError('decrypt', '填充无效');
  for (let i = buf.length - n; i < buf.length; i++) if (buf[i] !== n) throw new WecomCryptoError('decrypt', '填充无效');
  return buf.subarray(0, buf.length - n);
}

export interface Decrypted {
  message: string;
  receiveId: string;
  /** The pad value found (tests check the 32-byte padding). */
  pad: number;
}

export class WecomCrypt {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  /** receiveId: the CorpID for a self-built app, '' for a smart bot. */
  constructor(
    private readonly token: string,
    encodingAesKey: string,
    readonly receiveId: string,
  ) {
    this.key = decodeAesKey(encodingAesKey);
    this.iv = this.key.subarray(0, 16);
  }

  sign(timestamp: string, nonce: string, encrypt: string): string {
    return signature(this.token, timestamp, nonce, encrypt);
  }

  verify(msgSignature: unknown, timestamp: string, nonce: string, encrypt: string): boolean {
    return signatureMatches(msgSignature, this.sign(timestamp, nonce, encrypt));
  }

  /** Decrypt and check the receive id (constant time); throws WecomCryptoError. */
  decrypt(encrypt: string): Decrypted {
    const data = Buffer.from(encrypt, 'base64');
    if (data.length === 0 || data.length % BLOCK !== 0) throw new WecomCryptoError('decrypt', '密文长度无效');
    let plain: Buffer;
    try {
      const d = createDecipheriv('aes-256-cbc', this.key, this.iv);
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(data), d.final()]);
    } catch {
      throw new WecomCryptoError('decrypt', '解密失败');
    }
    const pad = plain[plain.length - 1];
    plain = pkcs7Unpad(plain);
    if (plain.length < 20) throw new WecomCryptoError('decrypt', '明文过短');
    const len = plain.readUInt32BE(16);
    if (20 + len > plain.length) throw new WecomCryptoError('decrypt', '消息长度无效');
    const message = plain.subarray(20, 20 + len).toString('utf8');
    const idBuf = plain.subarray(20 + len);
    const want = Buffer.from(this.receiveId, 'utf8');
    if (idBuf.length !== want.length || !timingSafeEqual(idBuf, want)) {
      throw new WecomCryptoError('receiveid', 'ReceiveId 不符（CorpID 配置错误或伪造的回调）');
    }
    return { message, receiveId: idBuf.toString('utf8'), pad };
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const msg = Buffer.from(message, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const plain = pkcs7Pad(Buffer.concat([random, len, msg, Buffer.from(this.receiveId, 'utf8')]));
    const c = createCipheriv('aes-256-cbc', this.key, this.iv);
    c.setAutoPadding(false);
    return Buffer.concat([c.update(plain), c.final()]).toString('base64');
  }

  /** Encrypt a reply and sign it with the given timestamp and nonce. */
  seal(message: string, timestamp: string, nonce: string): { encrypt: string; signature: string } {
    const encrypt = this.encrypt(message);
    return { encrypt, signature: this.sign(timestamp, nonce, encrypt) };
  }
}
