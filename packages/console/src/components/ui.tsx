import type { ComponentChildren } from 'preact';
import { followLink, hrefOf } from '../router';

/** A page's heading and intro; the heading takes focus after navigation (see App). */
export function PageHeader(props: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1} id="page-title">
        {props.title}
      </h1>
      {props.children ? <p class="lead">{props.children}</p> : null}
    </header>
  );
}

/** A boxed section with a heading. */
export function Card(props: {
  title?: string;
  id?: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const headingId = props.id ? `${props.id}-title` : undefined;
  return (
    <section class="card" aria-labelledby={headingId}>
      {props.title ? (
        <div class="card-head">
          <h2 id={headingId}>{props.title}</h2>
          {props.actions}
        </div>
      ) : null}
      {props.children}
    </section>
  );
}

/** A link to another console page. */
export function Link(props: {
  to: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
}) {
  return (
    <a
      href={hrefOf(props.to)}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(event) => followLink(event, props.to)}
    >
      {props.children}
    </a>
  );
}

/** An error shown in place, and read out. */
export function ErrorNote(props: { message: string | null }) {
  if (!props.message) return null;
  return (
    <p class="error-note" role="alert">
      {props.message}
    </p>
  );
}

/** A labelled form field around an input. */
export function Field(props: {
  label: string;
  hint?: string;
  children: ComponentChildren;
  id: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

/** A column heading of a {@link DataTable}. */
type Column =
  | string
  | {
      label: string;
      /** Right-aligned, for counts. */
      number?: boolean;
      /** Read by screen readers only (an actions column). */
      hidden?: boolean;
    };

/**
 * A table of rows (`<tr>`s) under column headings, with a caption for screen readers; it
 * scrolls sideways on a narrow screen.
 */
export function DataTable(props: {
  caption: string;
  columns: Column[];
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class="table-wrap">
      <table class={props.class}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => {
              const { label, number, hidden } =
                typeof column === 'string' ? { label: column } : column;
              return (
                <th key={label} scope="col" class={number ? 'number' : undefined}>
                  {hidden ? <span class="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
