import { useEffect, useRef, useState } from 'react';
import type { Created } from './CreateToken';

/** The new token's secret, shown this once, with how to copy it and where SCIM lives. */
export function TokenShownOnce({
  created,
  scimUrl,
  onDone,
}: {
  created: Created;
  scimUrl: string;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);
  const isScim = created.apiToken.permissions.includes('scim.provision');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('This browser does not allow copying here: select the token above and copy it by hand.');
    }
  };
  return (
    <section className="panel notice" aria-labelledby="token-created">
      <h2 id="token-created" tabIndex={-1} ref={heading}>
        Token “{created.apiToken.name}” created: copy it now
      </h2>
      <p>
        This is the only time the token is shown. Tocsin keeps only a hash of it: if it is lost, revoke it and
        create another.
      </p>
      <label htmlFor="token-secret">Token</label>
      <textarea
        id="token-secret"
        className="token-secret"
        readOnly
        rows={2}
        value={created.token}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy the token
        </button>
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
      <p role="status">{copied ?? ''}</p>
      {isScim && (
        <>
          <h3>Set up SCIM in the identity provider</h3>
          <ol>
            <li>
              SCIM base URL (tenant URL): <code>{scimUrl}</code>
            </li>
            <li>Authentication: bearer token, with the token above as the secret.</li>
            <li>
              Provision users (and groups, if wanted); a deactivated account stops receiving alerts at once.
            </li>
          </ol>
        </>
      )}
    </section>
  );
}
