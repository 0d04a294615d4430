/**
 * A small markdown renderer for the bundled guide: headings (with GitHub-style anchor ids),
 * paragraphs, bullet and numbered lists, block quotes, **bold** and `code`.
 *
 * Contract: builds React elements only (never HTML strings), so nothing in the text can
 * inject markup; unknown syntax shows as plain text.
 */
import type { ReactNode } from "react";
import { slugify } from "./guide";

type Block =
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "quote"; text: string }
  | { kind: "list"; ordered: boolean; items: string[] };

export function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: "paragraph", text: para.join(" ") });
    para = [];
  };
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    const numbered = /^\d+\.\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (!line) {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ kind: "heading", level: heading[1].length as 1 | 2 | 3, text: heading[2] });
    } else if (bullet || numbered) {
      flush();
      const ordered = !!numbered;
      const item = (bullet ?? numbered)![1];
      if (last?.kind === "list" && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: "list", ordered, items: [item] });
    } else if (line.startsWith(">")) {
      flush();
      const text = line.replace(/^>\s?/, "");
      if (last?.kind === "quote") last.text += ` ${text}`;
      else blocks.push({ kind: "quote", text });
    } else {
      para.push(line);
    }
  }
  flush();
  return blocks;
}

function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).map((part, i) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code key={i}>{part.slice(1, -1)}</code>;
    return part;
  });
}

export function Markdown(props: { text: string }) {
  return (
    <>
      {parseBlocks(props.text).map((b, i) => {
        switch (b.kind) {
          case "heading": {
            const Tag = (["h1", "h2", "h3"] as const)[b.level - 1];
            return (
              <Tag key={i} id={slugify(b.text)} tabIndex={-1} className={`guide__h${b.level}`}>
                {inline(b.text)}
              </Tag>
            );
          }
          case "paragraph":
            return <p key={i}>{inline(b.text)}</p>;
          case "quote":
            return (
              <blockquote key={i} className="guide__callout">
                {inline(b.text)}
              </blockquote>
            );
          case "list": {
            const items = b.items.map((t, j) => <li key={j}>{inline(t)}</li>);
            return b.ordered ? <ol key={i}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
        }
      })}
    </>
  );
}
