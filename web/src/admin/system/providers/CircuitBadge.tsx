import type { ProviderHealthView } from '../../../../../src/alerts/delivery/providers.schema';

const looks = {
  closed: { className: 'badge badge-ok', symbol: '●', text: 'Closed: sending' },
  half_open: { className: 'badge badge-warn', symbol: '◐', text: 'Half-open: probing' },
  open: { className: 'badge badge-danger', symbol: '■', text: 'Open: not sending' },
} as const;

/** A circuit's state in colour and in words (never colour alone). No health row: never opened. */
export function CircuitBadge({ health }: { health: ProviderHealthView | null }) {
  const look = looks[health?.circuit ?? 'closed'];
  return (
    <span className={look.className}>
      <span aria-hidden="true">{look.symbol} </span>
      {look.text}
    </span>
  );
}
