import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  /** The public key as base64 SPKI DER: what checkpoints record and verifiers trust. */
  publicKey: string;
}

/** Load the Ed25519 audit signing key, creating it (mode 0600) on first use. */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  return loadSigningKey(file);
}

/** Load an existing Ed25519 private key from a PEM file. */
export function loadSigningKey(file: string): SigningKey {
  const privateKey = createPrivateKey(readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key; audit checkpoints need Ed25519.`);
  }
  return { privateKey, publicKey: publicKeyText(createPublicKey(privateKey)) };
}

/** base64 SPKI DER of a public key. */
export function publicKeyText(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Parse a base64 SPKI DER public key. */
export function parsePublicKey(text: string): KeyObject {
  return createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
}
