/**
 * The part of marked-terminal 7's API imglint uses (the package ships no types; DefinitelyTyped's are for marked < 12).
 * `markedTerminal(options)` returns a marked extension that renders Markdown for a terminal.
 */
declare module 'marked-terminal' {
  import type { MarkedExtension } from 'marked';

  type Style = (text: string) => string;
  export interface TerminalRendererOptions {
    code?: Style;
    blockquote?: Style;
    html?: Style;
    heading?: Style;
    firstHeading?: Style;
    strong?: Style;
    em?: Style;
    codespan?: Style;
    del?: Style;
    link?: Style;
    href?: Style;
    emoji?: boolean;
    width?: number;
    reflowText?: boolean;
    showSectionPrefix?: boolean;
    tableOptions?: Record<string, unknown>;
  }
  export function markedTerminal(options?: TerminalRendererOptions, highlightOptions?: Record<string, unknown>): MarkedExtension;
}
