import type { ReactNode } from 'react';

/**
 * The lessons' markdown as React elements: headings, paragraphs, lists, **bold**, *italic* and
 * https links. Nothing is ever set as HTML, so a `<script>` in a lesson is shown as text.
 */
function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*([^*]+)\*\*|\*([^*]+)\*|\[([^\]]+)\]\((https:\/\/[^)\s]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(<strong key={`${key}-${i++}`}>{m[1]}</strong>);
    else if (m[2]) out.push(<em key={`${key}-${i++}`}>{m[2]}</em>);
    else out.push(<a key={`${key}-${i++}`} href={m[4]} target="_blank" rel="noopener noreferrer">{m[3]}</a>);
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const blocks = text.split(/\n{2,}/).map((b) => b.trim()).filter(Boolean);
  return (
    <div className="markdown">
      {blocks.map((b, i) => {
        const key = `b${i}`;
        const h = /^(#{1,3})\s+(.*)$/.exec(b);
        if (h) return h[1].length === 1 ? <h3 key={key}>{inline(h[2], key)}</h3> : <h4 key={key}>{inline(h[2], key)}</h4>;
        const lines = b.split('\n');
        if (lines.every((l) => /^\s*([-*]|\d+\.)\s+/.test(l))) {
          const items = lines.map((l, j) => <li key={`${key}-${j}`}>{inline(l.replace(/^\s*([-*]|\d+\.)\s+/, ''), `${key}-${j}`)}</li>);
          return /^\s*\d+\./.test(lines[0]) ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
        }
        return <p key={key}>{inline(b, key)}</p>;
      })}
    </div>
  );
}

/** The provider's embed address of a YouTube or Vimeo link, or null for anything else. */
export function embedUrl(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:') return null;
    const host = u.hostname.replace(/^www\./, '');
    if (host === 'youtu.be') return `https://www.youtube-nocookie.com/embed/${encodeURIComponent(u.pathname.slice(1))}`;
    if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
      const v = u.searchParams.get('v') ?? u.pathname.split('/').pop();
      return v ? `https://www.youtube-nocookie.com/embed/${encodeURIComponent(v)}` : null;
    }
    if (host === 'vimeo.com' || host === 'player.vimeo.com') {
      const id = u.pathname.split('/').filter(Boolean).pop();
      return id && /^\d+$/.test(id) ? `https://player.vimeo.com/video/${id}` : null;
    }
  } catch {
    return null;
  }
  return null;
}
