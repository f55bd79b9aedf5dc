import type { AlertContent } from './alert-content.js';

/** The fixed wording every channel adds around the template's what/where/actions. */
export interface Phrases {
  markers: { test: string; exercise: string; update: string; all_clear: string; cancel: string };
  /** Spoken (and shown in email) so a drill cannot be mistaken for a real emergency. */
  drillNotice: { test: string; exercise: string };
  /** A drill's all-clear: it says the drill is over (never that an emergency is), and what to do now. */
  drillOver: Record<'test' | 'exercise', { what: string; actions: string }>;
  /** A CAP Cancel's headline (after the prefix and drill marker) and the sentence its description opens with. */
  cancelled: { headline: (event: string) => string; notice: string };
  labels: { what: string; where: string; actions: string; more: string; sent: string; expires: string };
  sms: { where: string; info: string; optOut: string; acknowledge: string };
  voice: { from: string; repeat: string; keys: string };
  email: { acknowledge: string; unsubscribe: (program: string) => string; sentBy: string };
}

const en: Phrases = {
  markers: {
    test: 'TEST',
    exercise: 'EXERCISE',
    update: 'UPDATE',
    all_clear: 'ALL CLEAR',
    cancel: 'CANCELLED',
  },
  drillNotice: {
    test: 'This is a test. This is only a test.',
    exercise: 'This is an exercise. This is only an exercise.',
  },
  drillOver: {
    test: { what: 'The test is over.', actions: 'No action is needed.' },
    exercise: { what: 'The exercise is over.', actions: 'Resume normal activities.' },
  },
  cancelled: {
    headline: (event) => `Cancelled: ${event}`,
    notice: 'This alert has been cancelled and no longer applies.',
  },
  labels: {
    what: 'What is happening',
    where: 'Where',
    actions: 'What to do',
    more: 'More information',
    sent: 'Sent',
    expires: 'Expires',
  },
  sms: {
    where: 'Where:',
    info: 'Info:',
    optOut: 'Reply STOP to opt out.',
    acknowledge: 'Reply 1 if safe, 2 if you need help.',
  },
  voice: {
    from: 'A message from',
    repeat: 'I repeat.',
    keys: 'Press 1 to hear this message again; press 2 if you need help.',
  },
  email: {
    acknowledge: 'Confirm that you received this alert',
    unsubscribe: (program) => `Unsubscribe from ${program} emails`,
    sentBy: 'Sent by',
  },
};

const es: Phrases = {
  markers: {
    test: 'PRUEBA',
    exercise: 'SIMULACRO',
    update: 'ACTUALIZACIÓN',
    all_clear: 'FIN DE LA ALERTA',
    cancel: 'CANCELADA',
  },
  drillNotice: {
    test: 'Esto es una prueba. Solo es una prueba.',
    exercise: 'Esto es un simulacro. Solo es un simulacro.',
  },
  // GSM-7 only, as the SMS phrases: they are a drill's all-clear text message.
  drillOver: {
    test: { what: 'La prueba ha terminado.', actions: 'No es necesario hacer nada.' },
    exercise: { what: 'El simulacro ha terminado.', actions: 'Reanude sus actividades normales.' },
  },
  cancelled: {
    headline: (event) => `Cancelada: ${event}`,
    notice: 'Esta alerta ha sido cancelada y ya no está vigente.',
  },
  labels: {
    what: 'Qué ocurre',
    where: 'Dónde',
    actions: 'Qué hacer',
    more: 'Más información',
    sent: 'Enviado',
    expires: 'Vence',
  },
  sms: {
    where: 'Lugar:',
    info: 'Info:',
    optOut: 'Responda STOP para darse de baja.',
    // GSM-7 only (no á or í): one such letter would make the whole text UCS-2, halving each segment.
    acknowledge: 'Responda 1 si se encuentra bien, 2 si necesita ayuda.',
  },
  voice: {
    from: 'Un mensaje de',
    repeat: 'Repito.',
    keys: 'Pulse 1 para volver a escuchar este mensaje; pulse 2 si necesita ayuda.',
  },
  email: {
    acknowledge: 'Confirme que recibió esta alerta',
    unsubscribe: (program) => `Darse de baja de los correos de ${program}`,
    sentBy: 'Enviado por',
  },
};

const byLanguage: Record<string, Phrases> = { en, es };

/** The fixed wording for a language tag ('es-MX' uses 'es'), and whether it fell back to English. */
export function phrasesFor(language: string): { phrases: Phrases; fallback: boolean } {
  const primary = language.toLowerCase().split('-')[0] ?? '';
  const found = byLanguage[primary];
  return found ? { phrases: found, fallback: false } : { phrases: en, fallback: true };
}

/** The warning shown when a language has no fixed wording of its own. */
export function fallbackWarning(language: string): string {
  return `No fixed wording for language “${language}”: markers and prompts are in English.`;
}

/**
 * The markers of a message in reading order: TEST/EXERCISE first, then UPDATE/ALL CLEAR/CANCELLED.
 * A drill's all-clear has no ALL CLEAR (there was nothing to clear): its words say the drill is over.
 */
export function markersFor(content: Pick<AlertContent, 'kind' | 'messageType'>, phrases: Phrases): string[] {
  const markers: string[] = [];
  const drill = content.kind === 'test' || content.kind === 'exercise';
  if (content.kind === 'test') markers.push(phrases.markers.test);
  if (content.kind === 'exercise') markers.push(phrases.markers.exercise);
  if (content.messageType === 'all_clear' && drill) return markers;
  if (content.messageType !== 'alert') markers.push(phrases.markers[content.messageType]);
  return markers;
}

/** The alert programme's name from the prefix: 'MIT Alert:' gives 'MIT Alert'. */
export function programName(prefix: string): string {
  return prefix.trim().replace(/[\s:\-–—]+$/u, '');
}
