import type { AlertKind, MessageType } from '../alerts/alerts.tables.js';
import type { SiteState } from './public-status.policy.js';

/** The public site's own wording (the alerts bring theirs). */
export interface SitePhrases {
  languageName: string;
  skip: string;
  subtitle: (institution: string) => string;
  languages: string;
  status: Record<SiteState, { title: string; text: string }>;
  kinds: Record<AlertKind, string>;
  messageTypes: Record<MessageType, string>;
  states: { active: string; all_clear: string; ended: string };
  what: string;
  where: string;
  actions: string;
  updates: string;
  sent: string;
  updated: string;
  permalink: string;
  onlyIn: (language: string) => string;
  contacts: string;
  emergencyContacts: string;
  otherContacts: string;
  campusPhone: (number: string) => string;
  register: { heading: string; enrolled: (program: string) => string; others: string; link: string };
  recent: string;
  noRecent: string;
  /** Under alerts shown above the list (in force, or a recent all-clear): nothing before them. */
  noEarlier: string;
  archive: string;
  archiveHeading: string;
  archiveIntro: (program: string) => string;
  filterYear: string;
  filterKind: string;
  all: string;
  noneFound: string;
  alertCount: (n: number) => string;
  feeds: string;
  feedAtom: string;
  feedRss: string;
  feedCap: string;
  feedJson: string;
  capDocument: string;
  signIn: string;
  home: string;
  noUpdates: string;
  lastChange: string;
  signageCalm: string;
}

const en: SitePhrases = {
  languageName: 'English',
  skip: 'Skip to the emergency information',
  subtitle: (institution) => `${institution}: emergency information`,
  languages: 'Languages',
  status: {
    emergency: { title: 'Active emergency', text: 'Follow the instructions below.' },
    operations: { title: 'Campus disruption', text: 'Campus operations are affected. See below.' },
    all_clear: { title: 'All clear', text: 'The emergency is over. Normal operations resume.' },
    test: { title: 'Test in progress', text: 'This is a test. There is no emergency.' },
    normal: { title: 'Normal operations', text: 'There is no emergency on campus at this time.' },
  },
  kinds: { emergency: 'Emergency', operations: 'Operations', test: 'Test', exercise: 'Exercise' },
  messageTypes: {
    alert: 'Alert',
    update: 'Update',
    all_clear: 'All clear',
    cancel: 'Cancelled',
    escalation: 'Alert',
  },
  states: { active: 'In force', all_clear: 'All clear', ended: 'Ended' },
  what: 'What is happening',
  where: 'Where',
  actions: 'What to do',
  updates: 'Timeline',
  sent: 'Sent',
  updated: 'Updated',
  permalink: 'Permanent link',
  onlyIn: (language) => `This message was written in ${language} only.`,
  contacts: 'Emergency contacts',
  emergencyContacts: 'In an emergency',
  otherContacts: 'Other contacts',
  campusPhone: (number) => `${number} from a campus phone`,
  register: {
    heading: 'Get alerts',
    enrolled: (program) =>
      `Students, faculty and staff receive ${program} automatically at their institutional email and mobile number.`,
    others: 'Family, neighbours and others can sign up for text and email alerts.',
    link: 'Sign up for alerts',
  },
  recent: 'Recent alerts',
  noRecent: 'No alerts have been sent yet.',
  noEarlier: 'No earlier alerts.',
  archive: 'All past alerts',
  archiveHeading: 'Alert archive',
  archiveIntro: (program) => `Every ${program} message sent to the public, newest first.`,
  filterYear: 'Year',
  filterKind: 'Type',
  all: 'All',
  noneFound: 'No alerts match these filters.',
  alertCount: (n) => (n === 1 ? '1 alert' : `${n.toLocaleString('en-US')} alerts`),
  feeds: 'Feeds',
  feedAtom: 'Atom feed',
  feedRss: 'RSS feed',
  feedCap: 'CAP 1.2 feed (signage and desktop alerts)',
  feedJson: 'JSON',
  capDocument: 'CAP 1.2',
  signIn: 'Operator sign-in',
  home: 'Emergency information',
  noUpdates: 'No updates yet.',
  lastChange: 'Last change',
  signageCalm: 'No active emergency.',
};

const es: SitePhrases = {
  languageName: 'Español',
  skip: 'Ir a la información de emergencia',
  subtitle: (institution) => `${institution}: información de emergencia`,
  languages: 'Idiomas',
  status: {
    emergency: { title: 'Emergencia activa', text: 'Siga las instrucciones que aparecen abajo.' },
    operations: {
      title: 'Interrupción en el campus',
      text: 'Las operaciones del campus están afectadas. Vea abajo.',
    },
    all_clear: {
      title: 'Fin de la alerta',
      text: 'La emergencia ha terminado. Se reanudan las operaciones normales.',
    },
    test: { title: 'Prueba en curso', text: 'Esto es una prueba. No hay ninguna emergencia.' },
    normal: {
      title: 'Operaciones normales',
      text: 'No hay ninguna emergencia en el campus en este momento.',
    },
  },
  kinds: { emergency: 'Emergencia', operations: 'Operaciones', test: 'Prueba', exercise: 'Simulacro' },
  messageTypes: {
    alert: 'Alerta',
    update: 'Actualización',
    all_clear: 'Fin de la alerta',
    cancel: 'Cancelada',
    escalation: 'Alerta',
  },
  states: { active: 'Vigente', all_clear: 'Fin de la alerta', ended: 'Terminada' },
  what: 'Qué está pasando',
  where: 'Dónde',
  actions: 'Qué hacer',
  updates: 'Cronología',
  sent: 'Enviada',
  updated: 'Actualizada',
  permalink: 'Enlace permanente',
  onlyIn: (language) => `Este mensaje se escribió solo en ${language}.`,
  contacts: 'Contactos de emergencia',
  emergencyContacts: 'En una emergencia',
  otherContacts: 'Otros contactos',
  campusPhone: (number) => `${number} desde un teléfono del campus`,
  register: {
    heading: 'Reciba las alertas',
    enrolled: (program) =>
      `Los estudiantes y el personal reciben ${program} automáticamente en su correo institucional y su teléfono móvil.`,
    others:
      'Familiares, vecinos y otras personas pueden inscribirse para recibir alertas por texto y correo.',
    link: 'Inscríbase para recibir alertas',
  },
  recent: 'Alertas recientes',
  noRecent: 'Todavía no se ha enviado ninguna alerta.',
  noEarlier: 'No hay alertas anteriores.',
  archive: 'Todas las alertas anteriores',
  archiveHeading: 'Archivo de alertas',
  archiveIntro: (program) =>
    `Todos los mensajes de ${program} enviados al público, del más reciente al más antiguo.`,
  filterYear: 'Año',
  filterKind: 'Tipo',
  all: 'Todas',
  noneFound: 'Ninguna alerta coincide con estos filtros.',
  alertCount: (n) => (n === 1 ? '1 alerta' : `${n.toLocaleString('es')} alertas`),
  feeds: 'Canales de noticias',
  feedAtom: 'Canal Atom',
  feedRss: 'Canal RSS',
  feedCap: 'Canal CAP 1.2 (pantallas y alertas de escritorio)',
  feedJson: 'JSON',
  capDocument: 'CAP 1.2',
  signIn: 'Acceso para operadores',
  home: 'Información de emergencia',
  noUpdates: 'Todavía no hay actualizaciones.',
  lastChange: 'Último cambio',
  signageCalm: 'No hay ninguna emergencia activa.',
};

const all: Record<string, SitePhrases> = { en, es };

/** The site's wording in a language, or English when the site has no translation for it. */
export function sitePhrases(language: string): SitePhrases {
  return all[language] ?? all[language.split('-')[0]!] ?? en;
}

/** The name of a language in that language ("Español"), for language links. */
export function languageName(language: string): string {
  const known = all[language]?.languageName;
  if (known) return known;
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}
