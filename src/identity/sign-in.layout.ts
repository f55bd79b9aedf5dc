import { html, type SafeHtml } from '../platform/http/html.js';

const styles = `
body{font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f4f4;color:#111}
main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #ccc;border-radius:6px}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;margin-top:.25rem;border:2px solid #555;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #0b57d0;outline-offset:2px}
button{font:inherit;font-weight:600;margin-top:1.25rem;padding:.7rem 1.2rem;background:#8a0000;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;border-left:5px solid #a00;padding:.75rem;margin:1rem 0}
.note{background:#eef4ff;border-left:5px solid #0b57d0;padding:.75rem;margin:1rem 0}
code{font-size:1rem;word-break:break-all}svg{max-width:14rem;height:auto;display:block}
a{color:#0b3d91}`;

/** The frame of every sign-in page: accessible, no scripts, no third-party requests. */
export function page(title: string, institution: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Tocsin · ${institution}</title>
        <style>
          ${styles}
        </style>
      </head>
      <body>
        <main>
          <p>Tocsin · ${institution}</p>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

/** An error box announced to screen readers. */
export function errorBox(message: string | null): SafeHtml {
  return message ? html`<div class="error" role="alert">${message}</div>` : html``;
}
