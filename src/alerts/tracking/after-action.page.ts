import { html, raw, type SafeHtml } from '../../platform/http/html.js';
import { wallClock } from '../rendering/time.js';
import type { AfterAction, ChannelLatency } from './after-action.js';

const pad = (n: number) => String(n).padStart(2, '0');
const num = (n: number) => n.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '—');

/** An instant in the institution's zone to the second: 2026-12-07 09:26:03. */
function at(date: Date | string | null, timeZone: string): string {
  if (!date) return '—';
  const w = wallClock(new Date(date), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** A duration in ms in words a reader compares at a glance: 850 ms, 12.4 s, 3.2 min. */
function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

const styles = `
@page{size:Letter;margin:12mm}
body{font:9.5pt/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#111;margin:0;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:15pt;margin:0 0 .2rem}h2{font-size:11pt;margin:.8rem 0 .25rem;border-bottom:1px solid #999}
p{margin:.2rem 0}.meta{color:#333}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.2rem 0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.2rem 0}
caption{text-align:left;font-weight:600;padding:.1rem 0}
th,td{text-align:left;padding:.12rem .4rem;border-bottom:1px solid #ccc;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 1.2rem}
a{color:#0b3d91}
@media print{.screen-only{display:none}}`;

function recordSection(s: AfterAction, tz: string): SafeHtml {
  const a = s.alert;
  return html`<section aria-labelledby="aa-record">
    <h2 id="aa-record">Emergency-notification record (Clery)</h2>
    <dl>
      <dt>Confirmed by</dt>
      <dd>${a.record.confirmedBy ?? '—'}</dd>
      <dt>Source</dt>
      <dd>${a.record.confirmationSource ?? '—'}</dd>
      <dt>Confirmed at</dt>
      <dd>${at(a.record.confirmedAt, tz)}</dd>
      <dt>Initiated at</dt>
      <dd>${at(a.record.initiatedAt, tz)}</dd>
      ${
        a.record.delayReason
          ? html`<dt>Delay reason</dt>
              <dd>
                ${a.record.delayReason.replaceAll('_', ' ')} (decided by ${a.record.delayDecidedBy ?? '—'})
              </dd>`
          : ''
      }
      <dt>Audience and why</dt>
      <dd>${a.audienceReason}</dd>
      <dt>Sent by</dt>
      <dd>${a.sentByName ?? '—'}</dd>
      <dt>Channels</dt>
      <dd>${a.channels.join(', ')}</dd>
    </dl>
  </section>`;
}

function timesSection(s: AfterAction, tz: string): SafeHtml {
  const a = s.alert;
  const messages = a.messages.map(
    (m) =>
      html`<tr>
        <td>${m.sequence}</td>
        <td>${m.type.replaceAll('_', ' ')}</td>
        <td>${at(m.createdAt, tz)}</td>
        <td>${m.createdByName}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="aa-times">
    <h2 id="aa-times">Times (${tz})</h2>
    <dl>
      <dt>Created</dt>
      <dd>${at(s.times.created, tz)}</dd>
      <dt>First sent</dt>
      <dd>${at(s.times.firstSent, tz)}</dd>
      <dt>Last delivered</dt>
      <dd>${at(s.times.lastDelivered, tz)}</dd>
      <dt>Closed</dt>
      <dd>${a.closedAt ? html`${at(a.closedAt, tz)} (${a.closeReason ?? ''})` : 'not closed'}</dd>
    </dl>
    <table>
      <caption>
        Messages
      </caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Type</th>
          <th scope="col">Created</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        ${messages}
      </tbody>
    </table>
  </section>`;
}

function reachSection(s: AfterAction): SafeHtml {
  const t = s.reach.totals;
  const rows = s.reach.channels.map(
    (c) =>
      html`<tr>
        <th scope="row">${c.channel}</th>
        <td class="n">${num(c.people)}</td>
        <td class="n">${num(c.reached)}</td>
        <td class="n">${pct(c.reached, c.people)}</td>
        <td class="n">${num(c.pending)}</td>
        <td class="n">${num(c.inOutbox)}</td>
        <td class="n">${num(c.failed)}</td>
        <td class="n">${num(c.suppressed)}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="aa-reach">
    <h2 id="aa-reach">Reach of the alert message</h2>
    <p>
      ${num(t.reached)} of ${num(t.people)} people reached (${pct(t.reached, t.people)}) by at least one
      channel; ${num(t.pending)} still pending;
      ${t.inOutbox > 0 ? html`${num(t.inOutbox)} only in the outbox (stored, not sent to a network); ` : ''}
      ${num(t.failed)} not reached (every address failed or was suppressed).
    </p>
    <table>
      <caption>
        Per channel (people with an address on it)
      </caption>
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col" class="n">People</th>
          <th scope="col" class="n">Reached</th>
          <th scope="col" class="n">Share</th>
          <th scope="col" class="n">Pending</th>
          <th scope="col" class="n">In the outbox (not sent to a network)</th>
          <th scope="col" class="n">Failed</th>
          <th scope="col" class="n">Suppressed</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

const cells = (values: number[] | null) =>
  [0, 1, 2].map((i) => html`<td class="n">${duration(values?.[i])}</td>`);

function latencySection(latency: ChannelLatency[]): SafeHtml {
  const rows = latency.flatMap((l) => [
    html`<tr>
      <th scope="row">${l.channel}, sent</th>
      ${cells(l.accepted)}
    </tr>`,
    html`<tr>
      <th scope="row">${l.channel}, delivered</th>
      ${cells(l.delivered)}
    </tr>`,
  ]);
  return html`<section aria-labelledby="aa-latency">
    <h2 id="aa-latency">Latency from creation</h2>
    <table>
      <caption>
        To the provider’s acceptance (sent) and to the delivery receipt (delivered)
      </caption>
      <thead>
        <tr>
          <th scope="col">Channel</th>
          <th scope="col" class="n">p50</th>
          <th scope="col" class="n">p90</th>
          <th scope="col" class="n">p99</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </section>`;
}

function failuresSection(s: AfterAction): SafeHtml {
  const rows = s.failures.map(
    (f) =>
      html`<tr>
        <td>${f.channel}</td>
        <td>${f.status.replaceAll('_', ' ')}</td>
        <td>${f.reason}</td>
        <td class="n">${num(f.n)}</td>
      </tr>`,
  );
  return html`<section aria-labelledby="aa-failures">
    <h2 id="aa-failures">Failures by reason</h2>
    ${
      s.failures.length === 0
        ? html`<p>None.</p>`
        : html`<table>
            <caption>
              Largest groups, all messages
            </caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col" class="n">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }
  </section>`;
}

/**
 * The after-action summary as one self-contained, accessible HTML page (no script, nothing from
 * elsewhere) that fits one Letter page when printed: what Chromium turns into the PDF.
 */
export function afterActionPage(
  s: AfterAction,
  frame: { institution: string; timeZone: string; generatedAt: Date },
): string {
  const a = s.alert;
  const tz = frame.timeZone;
  const title = `After-action summary: ${a.templateName}`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · Tocsin · ${frame.institution}</title>
        <style>
          ${raw(styles)}
        </style>
      </head>
      <body>
        <main>
          <p class="meta">Tocsin · ${frame.institution} · ${a.kind} alert ${a.id}</p>
          <h1>${title}</h1>
          <p class="meta">
            Status: ${a.status}. Generated ${at(frame.generatedAt, tz)}.
            <span class="screen-only"
              ><a href="after-action.pdf">PDF</a> · <a href="/console/alerts/${a.id}">Dashboard</a></span
            >
          </p>
          <div class="cols">${recordSection(s, tz)}${timesSection(s, tz)}</div>
          ${reachSection(s)}
          <div class="cols">${latencySection(s.latency)}${failuresSection(s)}</div>
        </main>
      </body>
    </html>`.value;
}
