/**
 * A small RFC 4180 CSV parser for the import page: quoted fields may hold the delimiter,
 * line breaks and doubled quotes; CRLF, LF and lone CR all end a record; a leading BOM is
 * dropped; blank lines are skipped. Spreadsheets export `;` in some locales, so the
 * delimiter is guessed from the first record unless given.
 */
export class CsvError extends Error {}

export type Delimiter = "," | ";" | "\t";

export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of stripBom(text)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch] += 1;
  }
  const best = (Object.keys(counts) as Delimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a));
  return counts[best] > 0 ? best : ",";
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseCsv(input: string, delimiter: Delimiter = detectDelimiter(input)): string[][] {
  const text = stripBom(input);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  // A quoted field is closed; only a delimiter or a line break may follow.
  let closed = false;
  let line = 1;
  let i = 0;

  const endField = () => {
    row.push(field);
    field = "";
    closed = false;
  };
  const endRow = () => {
    endField();
    // A blank line is one empty field: skip it rather than import an empty record.
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
  };

  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        closed = true;
      } else {
        if (ch === "\n") line += 1;
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === delimiter) {
      endField();
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      if (ch === "\r" && text[i + 1] === "\n") i += 1;
      line += 1;
    } else if (closed) {
      throw new CsvError(`Line ${line}: unexpected character after a closing quote`);
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) throw new CsvError(`Line ${line}: a quoted field is never closed`);
  if (field !== "" || row.length > 0 || closed) endRow();
  return rows;
}
