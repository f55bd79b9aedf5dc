import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage } from '../../../api/client';
import { useApi } from '../../../api/use-api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import type { TemplateSummary } from '../templates/template-types';
import { kindWords, type InboundCapMessage, type RelayDefaults } from './cap-types';

interface Relayed {
  alertId: string;
  messageId: string;
  type: 'alert' | 'update' | 'all_clear';
  sequence: number;
}

function Sent({ label, value }: { label: string; value: string | undefined }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className="wrap">{value ?? '(the template’s words)'}</dd>
    </div>
  );
}

/**
 * The confirm step of relaying: what Tocsin will send (kind, template, what, where, actions,
 * audience, channels, the Clery record), asking only for what the message does not say.
 */
export function RelayDialog({ message, onCancel }: { message: InboundCapMessage; onCancel: () => void }) {
  const navigate = useNavigate();
  const d: RelayDefaults = message.relayDefaults;
  const templates = useApi<{ templates: TemplateSummary[] }>('/api/v1/templates');
  const [kind, setKind] = useState(d.kind ?? '');
  const [templateId, setTemplateId] = useState('');
  const [where, setWhere] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const followUp = message.msgType === 'Update' || message.msgType === 'Cancel';
  const template = templates.data?.templates.find((t) => t.hazard === d.hazard);
  const needsTemplate = !d.hazard && !followUp;
  const complete =
    (d.kind || kind) && (!needsTemplate || templateId) && (d.where || where.trim() || followUp);

  async function relay() {
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(d.kind ? {} : { kind }),
        ...(needsTemplate ? { templateId } : {}),
        ...(!d.where && where.trim() ? { where: where.trim() } : {}),
      };
      const relayed = await api<Relayed>(`/api/v1/cap/inbound/${message.id}/relay`, { method: 'POST', body });
      navigate(`/console/alerts/${relayed.alertId}`);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title="Relay this CAP message?"
      confirmLabel="Relay now"
      busy={busy}
      error={error}
      canConfirm={Boolean(complete)}
      onConfirm={() => void relay()}
      onCancel={onCancel}
    >
      <p>Tocsin sends this at once:</p>
      {followUp && (
        <p className="warning">
          This is a CAP {message.msgType}. If it refers to a message already relayed, Tocsin sends it as{' '}
          {message.msgType === 'Cancel' ? 'the all-clear' : 'an update'} of that alert, to the same audience;
          otherwise as a new alert.
        </p>
      )}
      <dl className="pairs">
        <div>
          <dt>Kind</dt>
          <dd>
            {d.kind ? (
              kindWords[d.kind]
            ) : (
              <>
                <label htmlFor="relay-kind">
                  The CAP status ({message.capStatus}) names no kind: choose one
                </label>
                <select id="relay-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
                  <option value="">Choose…</option>
                  {Object.entries(kindWords).map(([k, w]) => (
                    <option key={k} value={k}>
                      {w}
                    </option>
                  ))}
                </select>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Template</dt>
          <dd>
            {!needsTemplate ? (
              (template?.name ?? d.hazard ?? 'the referenced alert’s')
            ) : (
              <>
                <label htmlFor="relay-template">No template fits this message: choose one</label>
                <select
                  id="relay-template"
                  value={templateId}
                  onChange={(e) => setTemplateId(e.target.value)}
                >
                  <option value="">Choose…</option>
                  {templates.data?.templates.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </>
            )}
          </dd>
        </div>
        <Sent label="What" value={d.what} />
        {d.where || followUp ? (
          <Sent label="Where" value={d.where} />
        ) : (
          <div>
            <dt>
              <label htmlFor="relay-where">Where (the message names no area)</label>
            </dt>
            <dd>
              <input
                id="relay-where"
                value={where}
                maxLength={200}
                onChange={(e) => setWhere(e.target.value)}
              />
            </dd>
          </div>
        )}
        <Sent label="Actions" value={d.actions} />
        <Sent label="Audience" value="Everyone, on every channel of the profile" />
        <Sent label="Why this audience" value={d.audienceReason} />
        <Sent
          label="Emergency record"
          value={`Confirmed by you, now; source “CAP: ${message.sender} ${message.identifier}”`}
        />
      </dl>
    </ConfirmDialog>
  );
}
