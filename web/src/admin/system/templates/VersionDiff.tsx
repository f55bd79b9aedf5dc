import { Fragment } from 'react';
import { wordDiff } from './text-diff';
import { languageName, textFields, type TemplateVersion } from './template-types';

function DiffText({ before, after }: { before: string; after: string }) {
  return (
    <>
      {wordDiff(before, after).map((part, i) =>
        part.kind === 'same' ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : part.kind === 'removed' ? (
          <del key={i}>
            <span className="visually-hidden">[removed: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <ins key={i}>
            <span className="visually-hidden">[added: </span>
            {part.text}
            <span className="visually-hidden">]</span>
          </ins>
        ),
      )}
    </>
  );
}

/** What changed from one version to the next, per language and field, word by word. */
export function VersionDiff({ before, after }: { before: TemplateVersion; after: TemplateVersion }) {
  const languages = [...new Set([...Object.keys(after.languages), ...Object.keys(before.languages)])];
  const changes = languages.flatMap((language) =>
    textFields
      .map((field) => ({
        language,
        field,
        old: before.languages[language]?.[field.key] ?? '',
        new: after.languages[language]?.[field.key] ?? '',
      }))
      .filter((c) => c.old !== c.new),
  );
  const capChanged = JSON.stringify(before.cap) !== JSON.stringify(after.cap);
  if (changes.length === 0 && !capChanged)
    return (
      <p>
        No text changed from version {before.version} to version {after.version}.
      </p>
    );
  return (
    <dl className="diff-list">
      {changes.map((c) => (
        <Fragment key={`${c.language}-${c.field.key}`}>
          <dt>
            {c.field.label}, {languageName(c.language)}
            {!c.old && ' (new language)'}
            {!c.new && ' (language removed)'}
          </dt>
          <dd className="diff-text">
            <DiffText before={c.old} after={c.new} />
          </dd>
        </Fragment>
      ))}
      {capChanged && (
        <>
          <dt>CAP defaults</dt>
          <dd>
            {Object.entries(after.cap)
              .filter(([k, v]) => before.cap[k] !== v)
              .map(([k, v]) => `${k}: ${before.cap[k] ?? '—'} → ${v}`)
              .join('; ')}
          </dd>
        </>
      )}
    </dl>
  );
}
