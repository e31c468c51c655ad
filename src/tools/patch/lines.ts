// A file's text as lines with their own endings, so an edit can keep every untouched line's
// ending byte for byte (CRLF files stay CRLF, a mixed file stays mixed) and give new lines the
// file's own style.

export type Ending = '\n' | '\r\n' | '';

export interface FileLines {
  /** Each line without its ending. */
  texts: string[];
  /** Each line's ending; only the last line's can be '' (no newline at the end of the file). */
  endings: Ending[];
  /** The ending of the file's first line break (as rustfmt and Codex pick it); '\n' when it has none. */
  eol: '\n' | '\r\n';
}

export function splitLines(content: string): FileLines {
  const texts: string[] = [];
  const endings: Ending[] = [];
  let start = 0;
  while (start < content.length) {
    const newline = content.indexOf('\n', start);
    if (newline === -1) {
      texts.push(content.slice(start));
      endings.push('');
      break;
    }
    const crlf = newline > start && content[newline - 1] === '\r';
    texts.push(content.slice(start, crlf ? newline - 1 : newline));
    endings.push(crlf ? '\r\n' : '\n');
    start = newline + 1;
  }
  const first = endings.find((ending) => ending !== '');
  return { texts, endings, eol: first === '\r\n' ? '\r\n' : '\n' };
}

/** Whether `content` ends with a line break; an empty file counts as ending with one. */
export function endsWithNewline(content: string): boolean {
  return content === '' || content.endsWith('\n');
}
