import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  /** The public key as base64 SPKI DER: what checkpoints record and verifiers trust. */
  publicKey: string;
}

/**
 * Load the Ed25519 audit signing key, creating it (mode 0600) on first use. Several workers may
 * start at once: the key is written whole to a private file and then hard-linked into place, which
 * succeeds for exactly one of them; the others read the winner's key.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const draft = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(draft, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  return loadSigningKey(file);
}

/** Load an existing Ed25519 private key from a PEM file. */
function loadSigningKey(file: string): SigningKey {
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
