// Hashes, UUID and other functions without a family.
import { createHash, randomUUID } from 'node:crypto';
import type { ScalarFunctionDef } from '../api.js';
import type { AnyFn } from '../helpers.js';
import { anyNullable, checkArgs, STR_OR_BIN, STRING, INTEGER, simple } from '../helpers.js';
import { ValidationError } from '../../common/errors.js';

const hash = (name: string, algo: string): ScalarFunctionDef =>
  simple(name, `${name}(STRING | BYTES)`, [STR_OR_BIN], (a) => STRING(anyNullable(a)), () =>
    (v: string | Uint8Array) => createHash(algo).update(v).digest('hex'));

export const MD5 = hash('MD5', 'md5');
export const SHA1 = hash('SHA1', 'sha1');
export const SHA224 = hash('SHA224', 'sha224');
export const SHA256 = hash('SHA256', 'sha256');
export const SHA384 = hash('SHA384', 'sha384');
export const SHA512 = hash('SHA512', 'sha512');

export const SHA2: ScalarFunctionDef = {
  name: 'SHA2',
  strict: true,
  deterministic: true,
  returnType(args) {
    checkArgs('SHA2', 'SHA2(STRING | BYTES, bits INT)', args, [STR_OR_BIN, INTEGER]);
    return STRING(true);
  },
  create(): AnyFn {
    const algos: Record<number, string> = { 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512', 0: 'sha256' };
    return (v: string | Uint8Array, bits: number) => {
      const a = algos[bits];
      return a === undefined ? null : createHash(a).update(v).digest('hex');
    };
  },
};

export const UUID: ScalarFunctionDef = {
  name: 'UUID',
  strict: true,
  deterministic: false,
  returnType(args) {
    checkArgs('UUID', 'UUID()', args, []);
    return STRING(false);
  },
  create(): AnyFn {
    return () => randomUUID();
  },
};

void ValidationError;

export const MISC_FUNCTIONS: ScalarFunctionDef[] = [MD5, SHA1, SHA224, SHA256, SHA384, SHA512, SHA2, UUID];
