import { phrasesFor } from '../rendering/phrases.js';
import { html } from '../../platform/http/html.js';
import type { Profile } from '../../platform/profile.js';
import { codeLifetimeMinutes, emailLinkLifetimeHours } from './registration.policy.js';

/** A verification message as it will be sent: SMS text, or an email's subject, text and HTML. */
export type VerificationText =
  | { channel: 'sms'; subject: null; text: string; html: null }
  | { channel: 'email'; subject: string; text: string; html: string };

type Institution = Profile['institution'];

// Plain GSM-7 on purpose (no accents): one segment, and the same on every handset.
const smsText: Record<string, (prefix: string, code: string) => string> = {
  en: (prefix, code) =>
    `${prefix} your verification code is ${code}. It expires in ${codeLifetimeMinutes} minutes. If you did not ask for it, ignore this text.`,
  es: (prefix, code) =>
    `${prefix} su clave de registro es ${code}. Vence en ${codeLifetimeMinutes} minutos. Si no la ha pedido, ignore este mensaje.`,
};

/** The code text: institution prefix first (CTIA), opt-out instructions last. */
export function verificationSms(institution: Institution, language: string, code: string): VerificationText {
  const compose = smsText[language] ?? smsText.en!;
  const optOut = phrasesFor(language).phrases.sms.optOut;
  return {
    channel: 'sms',
    subject: null,
    text: `${compose(institution.messagePrefix, code)} ${optOut}`,
    html: null,
  };
}

interface EmailWords {
  subject: string;
  intro: (program: string, institution: string) => string;
  action: string;
  button: string;
  lifetime: string;
  notYou: string;
  later: string;
}

const emailWords: Record<string, EmailWords> = {
  en: {
    subject: 'confirm your email address',
    intro: (program, institution) =>
      `Someone, we hope you, asked to receive ${program} emergency alerts from ${institution} at this email address.`,
    action: 'To confirm, open this link and press “Confirm”:',
    button: 'Confirm my email address',
    lifetime: `The link works for ${emailLinkLifetimeHours} hours.`,
    notYou:
      'If you did not ask for this, ignore this email (or open the link and press “Cancel”): this address will receive no alerts, and the registration is deleted within two days.',
    later: 'Every alert email ends with a link to unsubscribe.',
  },
  es: {
    subject: 'confirme su dirección de correo',
    intro: (program, institution) =>
      `Alguien, esperamos que usted, pidió recibir las alertas de emergencia de ${program} de ${institution} en esta dirección de correo.`,
    action: 'Para confirmarlo, abra este enlace y pulse «Confirmar»:',
    button: 'Confirmar mi dirección de correo',
    lifetime: `El enlace funciona durante ${emailLinkLifetimeHours} horas.`,
    notYou:
      'Si no lo pidió, ignore este correo (o abra el enlace y pulse «Cancelar»): esta dirección no recibirá alertas y el registro se borra en dos días.',
    later: 'Cada correo de alerta termina con un enlace para darse de baja.',
  },
};

/** The email with the confirmation link, in plain text and accessible HTML. */
export function verificationEmail(
  institution: Institution,
  language: string,
  link: string,
): VerificationText {
  const lang = emailWords[language] ? language : 'en';
  const w = emailWords[lang]!;
  const subject = `${institution.messagePrefix} ${w.subject}`;
  const intro = w.intro(institution.alertProgramName, institution.name);
  const text = [intro, `${w.action}\n${link}`, w.lifetime, w.notYou, w.later].join('\n\n');
  const body = html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <title>${subject}</title>
      </head>
      <body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#111;">
        <p>${intro}</p>
        <p><a href="${link}" style="color:#0000CC;font-weight:bold;">${w.button}</a></p>
        <p>${w.lifetime}</p>
        <p>${w.notYou}</p>
        <p>${w.later}</p>
      </body>
    </html>`.value;
  return { channel: 'email', subject, text, html: body };
}
