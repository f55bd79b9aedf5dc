import { html, type SafeHtml } from '../../platform/http/html.js';
import type { Brand } from '../../platform/brand.js';
import { plainPage } from '../../platform/http/plain-page.js';

/** The words of the acknowledgement page, per language (English when the delivery's is missing). */
interface PageWords {
  question: string;
  safe: string;
  needHelp: string;
  current: (answer: string) => string;
  change: string;
  recordedSafe: string;
  recordedNeedHelp: string;
  invalid: string;
  notRequested: string;
  closed: string;
  emergency: (contact: string) => string;
}

const en: PageWords = {
  question: 'Are you safe?',
  safe: 'I am safe',
  needHelp: 'I need help',
  current: (answer) => `Your answer so far: ${answer}.`,
  change: 'You can change it.',
  recordedSafe: 'Thank you. You are recorded as safe.',
  recordedNeedHelp: 'Your request for help is recorded and shared with responders.',
  invalid: 'This link is not valid. Use the link in the most recent alert email.',
  notRequested: 'This alert does not ask for an answer.',
  closed: 'This alert is closed and no longer takes answers.',
  emergency: (contact) => `In an emergency, call ${contact}.`,
};

const es: PageWords = {
  question: '¿Se encuentra bien?',
  safe: 'Estoy bien',
  needHelp: 'Necesito ayuda',
  current: (answer) => `Su respuesta hasta ahora: ${answer}.`,
  change: 'Puede cambiarla.',
  recordedSafe: 'Gracias. Consta que se encuentra bien.',
  recordedNeedHelp: 'Su pedido de ayuda quedó registrado y se comunicó a los equipos de respuesta.',
  invalid: 'Este enlace no es válido. Use el enlace del correo de alerta más reciente.',
  notRequested: 'Esta alerta no pide respuesta.',
  closed: 'Esta alerta está cerrada y ya no recibe respuestas.',
  emergency: (contact) => `En caso de emergencia, llame a ${contact}.`,
};

/** The page's words and its lang attribute for a delivery's language tag. */
export function pageWords(language: string): { words: PageWords; lang: string } {
  return language.toLowerCase().startsWith('es') ? { words: es, lang: 'es' } : { words: en, lang: 'en' };
}

// Beyond the shared rules: larger type and two full-width answer buttons, for a phone in a hurry.
const styles = `body{font-size:1.125rem}main{margin:1.5rem auto}h1{margin-top:0}
button{font-weight:700;display:block;width:100%;margin-top:1rem;padding:1rem;border-radius:6px}
button.safe{background:#1b6e20}button.help{background:#a00}
.alert{background:#fff4e5;border-left:5px solid #b35c00;padding:.75rem;margin:1rem 0}`;

/** A whole page: no scripts, no third-party requests, readable on a phone. */
export function ackPage(program: string, lang: string, title: string, body: SafeHtml, brand: Brand): string {
  return plainPage({
    brand,
    lang,
    title: `${title} · ${program}`,
    heading: title,
    top: html`<p>${program}</p>`,
    body,
    styles,
    noindex: true,
  });
}

/** The question with its two buttons; a GET only shows it (link scanners prefetch), the buttons POST. */
export function ackForm(
  words: PageWords,
  options: { action: string; summary: string | null; current: string | null; csrf: string | null },
): SafeHtml {
  return html`${options.summary ? html`<p class="alert">${options.summary}</p>` : ''}
    ${options.current ? html`<p class="note">${words.current(options.current)} ${words.change}</p>` : ''}
    <form method="post" action="${options.action}">
      ${options.csrf ? html`<input type="hidden" name="_csrf" value="${options.csrf}" />` : ''}
      <button class="safe" type="submit" name="response" value="safe">${words.safe}</button>
      <button class="help" type="submit" name="response" value="need_help">${words.needHelp}</button>
    </form>`;
}
