/** The words of the registration, confirmation and unsubscribe pages, per language. */
export interface PageText {
  languageName: string;
  languageNav: string;
  /** The way back to the public emergency page, on every page. */
  emergencyPage: string;
  errorSummary: string;
  errorPrefix: string;
  attemptsLeft: (n: number) => string;
  notFound: string;
  disabled: (institution: string) => string;
  moreInformation: string;
  register: {
    title: (program: string) => string;
    intro: (program: string, institution: string) => string;
    name: string;
    email: string;
    emailHint: string;
    phone: string;
    phoneHint: string;
    language: string;
    consent: (program: string) => string;
    consentHint: string;
    submit: string;
  };
  status: {
    title: string;
    codeSent: (address: string) => string;
    code: string;
    codeHint: string;
    verify: string;
    newCode: string;
    linkSent: (address: string) => string;
    newLink: string;
    sentAgain: string;
    verified: (address: string) => string;
    cancelled: (address: string) => string;
    registered: (program: string) => string;
  };
  emailLink: {
    title: string;
    prompt: (address: string) => string;
    confirm: string;
    cancel: string;
    confirmed: (address: string, program: string) => string;
    cancelled: string;
    expired: string;
    again: string;
  };
  unsubscribe: {
    title: string;
    prompt: (address: string) => string;
    one: string;
    all: (program: string) => string;
    allHint: string;
    doneOne: (address: string) => string;
    doneAll: (program: string) => string;
    alreadyOut: (address: string) => string;
  };
  /** Field problems by `${field}.${problem}`, and refusals by their reason code. */
  problems: Record<string, string>;
  reasons: Record<string, string>;
}

const en: PageText = {
  languageName: 'English',
  languageNav: 'Language',
  emergencyPage: 'Back to the emergency page',
  errorSummary: 'Please correct the following:',
  errorPrefix: 'Error:',
  attemptsLeft: (n) => `${n} attempt${n === 1 ? '' : 's'} left.`,
  notFound:
    'This page does not exist, or the registration was deleted. Registrations not confirmed within two days are deleted.',
  disabled: (institution) => `${institution} does not offer registration for alerts on this site.`,
  moreInformation: 'More information',
  register: {
    title: (program) => `Register for ${program}`,
    intro: (program, institution) =>
      `Neighbours, parents and visitors can receive ${program} emergency alerts from ${institution} by text message and email. Give a mobile number, an email address, or both; we send a code or a link to confirm each one. Nothing is sent to an address until it is confirmed.`,
    name: 'Your name',
    email: 'Email address',
    emailHint: 'We send a link to confirm it.',
    phone: 'Mobile number',
    phoneHint:
      'We text a 6-digit code to confirm it. Add the country code (+44 …) for numbers outside the US.',
    language: 'Language of alerts',
    consent: (program) => `I agree to receive ${program} emergency alerts at these addresses.`,
    consentHint:
      'Message and data rates may apply. Reply STOP to any text, or use the link in any email, to stop.',
    submit: 'Register',
  },
  status: {
    title: 'Confirm your contact details',
    codeSent: (address) => `We sent a 6-digit code to ${address}. It works for 10 minutes.`,
    code: 'Code from the text message',
    codeHint: '6 digits',
    verify: 'Confirm my number',
    newCode: 'Send a new code',
    linkSent: (address) =>
      `We sent a link to ${address}. Open it to confirm the address; it works for 24 hours.`,
    newLink: 'Send the link again',
    sentAgain: 'Sent again. Only the newest code works.',
    verified: (address) => `${address} is confirmed: alerts will reach it.`,
    cancelled: (address) => `${address} was not confirmed and will receive nothing.`,
    registered: (program) =>
      `You are registered for ${program}. Every text says how to stop (reply STOP), and every email has an unsubscribe link.`,
  },
  emailLink: {
    title: 'Confirm your email address',
    prompt: (address) => `Confirm that ${address} should receive emergency alerts.`,
    confirm: 'Confirm',
    cancel: 'Cancel: this was not me',
    confirmed: (address, program) => `${address} is confirmed. ${program} alerts will reach it.`,
    cancelled: 'Cancelled. This address will receive nothing from this registration.',
    expired: 'This link has expired (links work for 24 hours).',
    again: 'Send the link again',
  },
  unsubscribe: {
    title: 'Unsubscribe',
    prompt: (address) => `Stop emergency alerts to ${address}?`,
    one: 'Stop alerts to this address',
    all: (program) => `Remove me from ${program} (all my addresses)`,
    allHint: 'You can register again at any time.',
    doneOne: (address) => `Done: ${address} will receive no more alerts.`,
    doneAll: (program) =>
      `Done: you are removed from ${program}. None of your addresses will receive alerts.`,
    alreadyOut: (address) => `${address} already receives no alerts.`,
  },
  // Field problems the API words for programs; everything else uses the API's English message.
  problems: { 'consent.required': 'Tick the box to agree to receive alerts.' },
  // English pages show the API's own messages; these are the states the page shows by itself.
  reasons: {
    locked: 'Too many wrong codes: this code no longer works. Send a new code.',
    expired: 'This code has expired. Send a new code.',
  },
};

const es: PageText = {
  languageName: 'Español',
  languageNav: 'Idioma',
  emergencyPage: 'Volver a la página de emergencias',
  errorSummary: 'Corrija lo siguiente:',
  errorPrefix: 'Error:',
  attemptsLeft: (n) => `Le queda${n === 1 ? '' : 'n'} ${n} intento${n === 1 ? '' : 's'}.`,
  notFound:
    'Esta página no existe o el registro se borró. Los registros no confirmados en dos días se borran.',
  disabled: (institution) => `${institution} no ofrece el registro para alertas en este sitio.`,
  moreInformation: 'Más información',
  register: {
    title: (program) => `Registrarse en ${program}`,
    intro: (program, institution) =>
      `Los vecinos, padres y visitantes pueden recibir las alertas de emergencia de ${program} de ${institution} por mensaje de texto y correo electrónico. Indique un número de móvil, una dirección de correo o ambos; enviamos un código o un enlace para confirmar cada uno. No se envía nada a una dirección hasta que se confirma.`,
    name: 'Su nombre',
    email: 'Correo electrónico',
    emailHint: 'Le enviamos un enlace para confirmarlo.',
    phone: 'Número de móvil',
    phoneHint:
      'Le enviamos por SMS un código de 6 cifras para confirmarlo. Añada el prefijo del país (+34 …) si no es un número de EE. UU.',
    language: 'Idioma de las alertas',
    consent: (program) => `Acepto recibir las alertas de emergencia de ${program} en estas direcciones.`,
    consentHint:
      'Pueden aplicarse tarifas de mensajes y datos. Responda STOP a cualquier SMS, o use el enlace de cualquier correo, para darse de baja.',
    submit: 'Registrarme',
  },
  status: {
    title: 'Confirme sus datos de contacto',
    codeSent: (address) => `Enviamos un código de 6 cifras al ${address}. Funciona durante 10 minutos.`,
    code: 'Código del mensaje de texto',
    codeHint: '6 cifras',
    verify: 'Confirmar mi número',
    newCode: 'Enviar un código nuevo',
    linkSent: (address) =>
      `Enviamos un enlace a ${address}. Ábralo para confirmar la dirección; funciona durante 24 horas.`,
    newLink: 'Enviar el enlace otra vez',
    sentAgain: 'Enviado de nuevo. Solo funciona el código más reciente.',
    verified: (address) => `${address} está confirmado: recibirá las alertas.`,
    cancelled: (address) => `${address} no se confirmó y no recibirá nada.`,
    registered: (program) =>
      `Está registrado en ${program}. Cada SMS explica cómo darse de baja (responda STOP) y cada correo incluye un enlace para darse de baja.`,
  },
  emailLink: {
    title: 'Confirme su correo electrónico',
    prompt: (address) => `Confirme que ${address} debe recibir alertas de emergencia.`,
    confirm: 'Confirmar',
    cancel: 'Cancelar: no fui yo',
    confirmed: (address, program) => `${address} está confirmado. Recibirá las alertas de ${program}.`,
    cancelled: 'Cancelado. Esta dirección no recibirá nada de este registro.',
    expired: 'Este enlace ha caducado (los enlaces funcionan durante 24 horas).',
    again: 'Enviar el enlace otra vez',
  },
  unsubscribe: {
    title: 'Darse de baja',
    prompt: (address) => `¿Dejar de enviar alertas de emergencia a ${address}?`,
    one: 'Dejar de enviar alertas a esta dirección',
    all: (program) => `Darme de baja de ${program} (todas mis direcciones)`,
    allHint: 'Puede volver a registrarse cuando quiera.',
    doneOne: (address) => `Hecho: ${address} no recibirá más alertas.`,
    doneAll: (program) =>
      `Hecho: se ha dado de baja de ${program}. Ninguna de sus direcciones recibirá alertas.`,
    alreadyOut: (address) => `${address} ya no recibe alertas.`,
  },
  problems: {
    'name.required': 'Escriba su nombre.',
    'name.too_long': 'Use 200 caracteres como máximo.',
    'name.unprintable': 'El nombre contiene caracteres que no se pueden mostrar.',
    'email.invalid': 'Escriba una dirección de correo como nombre@ejemplo.com.',
    'email.required': 'Indique un correo electrónico, un número de móvil o ambos.',
    'phone.invalid': 'Escriba un número de móvil, con el prefijo del país (+34 …) si no es de EE. UU.',
    'phone.landline': 'Parece un teléfono fijo: escriba un móvil que pueda recibir SMS.',
    'language.unknown': 'Elija uno de los idiomas de la lista.',
    'consent.required': 'Marque la casilla para aceptar recibir alertas.',
  },
  reasons: {
    registration_ip: 'Demasiados registros desde su red en la última hora. Inténtelo más tarde.',
    message_address:
      'Se enviaron demasiados códigos o enlaces a esta dirección en la última hora. Inténtelo más tarde.',
    registration_global: 'El registro está muy solicitado en este momento. Inténtelo más tarde.',
    verification_ip: 'Se probaron demasiados códigos desde su red en la última hora. Inténtelo más tarde.',
    format: 'Escriba el código de 6 cifras del mensaje de texto.',
    wrong_code: 'El código no es correcto.',
    locked: 'Demasiados códigos incorrectos: este código ya no funciona. Pida un código nuevo.',
    expired: 'Este código o enlace ha caducado. Pida uno nuevo.',
    not_sent: 'El código aún está en camino. Espere un momento y vuelva a intentarlo.',
    cancelled: 'Este registro se canceló. Regístrese de nuevo para recibir alertas.',
    verified: 'Esta dirección ya está confirmada.',
    link: 'Este enlace no es válido o su registro se borró. Regístrese de nuevo para recibir alertas.',
  },
};

const texts: Record<string, PageText> = { en, es };

/** The page words for a language (English when there are none for it). */
export function pageText(language: string): PageText {
  return texts[language] ?? en;
}

/** The languages the pages are written in. */
export const pageLanguages = Object.keys(texts);
