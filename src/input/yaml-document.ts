import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { InputError } from '../errors.js';

/**
 * YAML (and JSON, which the same parser reads) for the input readers: one parse with positions, a conversion to
 * plain data that is linear in the document's size, and the limits a hostile file meets:
 * - nesting deeper than {@link MAX_DEPTH} levels is refused (the parser itself recurses, and gives up near a
 *   thousand levels with a stack overflow, reported the same way);
 * - aliases expand at most {@link MAX_ALIAS_EXPANSION} nodes in all (the library's `maxAliasCount` guards its
 *   own conversion the same way against "billion laughs"; its resolution looks every alias up over the document,
 *   which is quadratic, so the conversion here keeps its own table of anchors);
 * - a format that forbids aliases (CloudFormation templates) refuses the first one.
 */

/** How deep collections may nest. Real manifests and templates stay under 20. */
export const MAX_DEPTH = 100;

/** How many nodes aliases may stand for, in all. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Errors of one input format: the codes and the hint. */
export interface YamlErrors {
  malformed: string;
  hint: string;
}

/** A parsed document: its plain data, and lines of its nodes by path. */
export interface YamlDocument {
  data: unknown;
  /** 1-based line of the deepest node on `path` that exists (a map key's own line, a list item's first line). */
  lineOf(path: readonly PropertyKey[]): number;
}

/** What a converted tagged node becomes (`!Ref x` → `{ Ref: 'x' }`); `undefined` leaves the value as it is. */
export type TagHandler = (tag: string, value: unknown, node: YamlNode) => unknown;

/**
 * Parses `text` (pure).
 *
 * @param options.aliases - `false` when the format forbids aliases.
 * @param options.tags - how tagged nodes convert (local tags such as `!Ref`); the library's warnings on them are
 *   not errors.
 * @throws InputError `errors.malformed`: `file:line:col: not valid YAML: ...`, nesting too deep, too many alias
 *   expansions, a forbidden or unresolved alias.
 */
export function parseYaml(text: string, path: string, errors: YamlErrors, options: { aliases?: boolean; tags?: TagHandler } = {}): YamlDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: true, uniqueKeys: true });
  const [syntax] = document.errors;
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = `${path}:${at ? `${at.line}:${at.col}` : '1'}`;
    if (/call stack/i.test(syntax.message)) throw malformed(errors, `${where}: nested too deeply (imglint reads at most ${MAX_DEPTH} levels)`);
    const what = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw malformed(errors, `${where}: not valid YAML: ${what}`);
  }
  const line = (offset: number) => lineCounter.linePos(offset).line;
  const data = new Converter(path, errors, line, options).convert(document);
  return { data, lineOf: (keys) => lineOf(document, keys, line) };
}

function malformed(errors: YamlErrors, message: string): InputError {
  return new InputError(errors.malformed, message, { hint: errors.hint });
}

class Converter {
  private readonly anchors = new Map<string, { value: unknown; size: number }>();
  private expanded = 0;

  constructor(
    private readonly path: string,
    private readonly errors: YamlErrors,
    private readonly line: (offset: number) => number,
    private readonly options: { aliases?: boolean; tags?: TagHandler },
  ) {}

  convert(document: Document): unknown {
    return document.contents === null ? null : this.node(document.contents as YamlNode, 0).value;
  }

  private fail(node: unknown, message: string): never {
    const offset = (node as { range?: [number] } | null)?.range?.[0] ?? 0;
    throw malformed(this.errors, `${this.path}:${this.line(offset)}: ${message}`);
  }

  /** The node's value and how many nodes it stands for. */
  private node(node: YamlNode, depth: number): { value: unknown; size: number } {
    if (depth > MAX_DEPTH) this.fail(node, `nested too deeply (imglint reads at most ${MAX_DEPTH} levels)`);
    let result: { value: unknown; size: number };
    if (isAlias(node)) {
      if (this.options.aliases === false) this.fail(node, `aliases (*${node.source}) are not supported in this format`);
      const anchor = this.anchors.get(node.source);
      if (anchor === undefined) this.fail(node, `alias *${node.source} has no anchor before it`);
      this.expanded += anchor.size;
      if (this.expanded > MAX_ALIAS_EXPANSION) this.fail(node, `aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes (a "billion laughs" document?)`);
      return anchor;
    } else if (isMap(node)) {
      const value: Record<string, unknown> = {};
      let size = 1;
      for (const pair of node.items) {
        const key = pair.key === null ? '' : isScalar(pair.key) ? String(pair.key.value) : this.fail(pair.key, 'a map key must be a plain value');
        const item = pair.value === null ? { value: null, size: 1 } : this.node(pair.value as YamlNode, depth + 1);
        // Defined, not assigned: a `__proto__` key stays a key (as JSON.parse keeps it), never the map's prototype.
        Object.defineProperty(value, key, { value: item.value, enumerable: true, writable: true, configurable: true });
        size += item.size;
      }
      result = { value, size };
    } else if (isSeq(node)) {
      const value: unknown[] = [];
      let size = 1;
      for (const element of node.items) {
        const item = isPair(element) ? this.fail(element, 'unexpected key in a list') : this.node(element as YamlNode, depth + 1);
        value.push(item.value);
        size += item.size;
      }
      result = { value, size };
    } else {
      result = { value: isScalar(node) ? node.value : null, size: 1 };
    }
    const tag = node.tag;
    if (tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!') && this.options.tags) {
      const tagged = this.options.tags(tag, result.value, node);
      if (tagged !== undefined) result = { value: tagged, size: result.size + 1 };
    }
    if (node.anchor) this.anchors.set(node.anchor, result);
    return result;
  }
}

function lineOf(document: Document, path: readonly PropertyKey[], line: (offset: number) => number): number {
  let node: unknown = document.contents;
  let offset = startOf(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? String(item.key.value) : item.key) === segment);
      if (!pair) break;
      offset = startOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = startOf(node) ?? offset;
    } else break;
  }
  return line(offset);
}

function startOf(node: unknown): number | undefined {
  return (node as { range?: [number, number, number] } | null)?.range?.[0];
}
