// Server side of SASL/PLAIN and SASL/SCRAM-SHA-256/512 (RFC 5802), one exchange per connection.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export interface Credentials {
  username: string;
  password: string;
}

export type SaslStep = { done: true; ok: boolean; reply: Buffer } | { done: false; reply: Buffer };

/** One authentication exchange: feed it each client message, send back each reply. */
export class SaslExchange {
  private scram?: { clientFirstBare: string; serverFirst: string; nonce: string; salted: Buffer };

  constructor(
    readonly mechanism: string,
    private readonly creds: Credentials,
  ) {}

  step(msg: Buffer): SaslStep {
    if (this.mechanism === 'PLAIN') {
      // [authzid] \0 username \0 password
      const [, user, pass] = msg.toString('utf8').split('\0');
      return { done: true, ok: user === this.creds.username && pass === this.creds.password, reply: Buffer.alloc(0) };
    }
    const hash = this.mechanism === 'SCRAM-SHA-512' ? 'sha512' : 'sha256';
    const text = msg.toString('utf8');
    if (!this.scram) {
      // client-first: gs2-header "n,," then "n=user,r=cnonce"
      const bare = text.replace(/^[nyp][^,]*,[^,]*,/, '');
      const attrs = parseAttrs(bare);
      const user = (attrs.get('n') ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
      const nonce = `${attrs.get('r') ?? ''}${randomBytes(18).toString('base64')}`;
      const salt = randomBytes(16);
      const iterations = 4096;
      const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
      const salted = pbkdf2Sync(user === this.creds.username ? this.creds.password : randomBytes(16).toString('hex'), salt, iterations, hash === 'sha512' ? 64 : 32, hash);
      this.scram = { clientFirstBare: bare, serverFirst, nonce, salted };
      return { done: false, reply: Buffer.from(serverFirst) };
    }
    // client-final: "c=biws,r=nonce,p=proof"
    const attrs = parseAttrs(text);
    const withoutProof = text.slice(0, text.lastIndexOf(',p='));
    const authMessage = `${this.scram.clientFirstBare},${this.scram.serverFirst},${withoutProof}`;
    const clientKey = createHmac(hash, this.scram.salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const clientSignature = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
    // Like Kafka, accept a final nonce that ends with the server's (librdkafka repeats its own part in front).
    let ok = (attrs.get('r') ?? '').endsWith(this.scram.nonce) && proof.length === clientSignature.length;
    if (ok) {
      const recovered = Buffer.alloc(proof.length);
      for (let i = 0; i < proof.length; i++) recovered[i] = proof[i] ^ clientSignature[i];
      ok = timingSafeEqual(createHash(hash).update(recovered).digest(), storedKey);
    }
    if (!ok) return { done: true, ok: false, reply: Buffer.from('e=invalid-proof') };
    const serverKey = createHmac(hash, this.scram.salted).update('Server Key').digest();
    const serverSignature = createHmac(hash, serverKey).update(authMessage).digest('base64');
    return { done: true, ok: true, reply: Buffer.from(`v=${serverSignature}`) };
  }
}

function parseAttrs(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}
