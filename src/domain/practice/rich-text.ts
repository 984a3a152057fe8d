import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Leaders write in Markdown; nothing they write can run as script. Raw HTML in the source is not rendered (html:
 * false), and the output is sanitised again with an allow-list, so script tags, event handlers and javascript: links
 * never reach a page.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const ALLOWED = {
  allowedTags: ['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { class: 'govuk-link', rel: 'noopener nofollow' }),
    p: sanitizeHtml.simpleTransform('p', { class: 'govuk-body' }),
    ul: sanitizeHtml.simpleTransform('ul', { class: 'govuk-list govuk-list--bullet' }),
    ol: sanitizeHtml.simpleTransform('ol', { class: 'govuk-list govuk-list--number' }),
    h3: sanitizeHtml.simpleTransform('h3', { class: 'govuk-heading-s' }),
    h4: sanitizeHtml.simpleTransform('h4', { class: 'govuk-heading-s' }),
  },
  allowedClasses: { '*': ['govuk-link', 'govuk-body', 'govuk-list', 'govuk-list--bullet', 'govuk-list--number', 'govuk-heading-s'] },
};

/** Markdown → safe HTML. Headings are demoted below the page's own (# becomes h3). */
export function renderMarkdown(source: string): string {
  const html = markdown.render(source.replace(/^(#{1,2})(\s)/gm, '###$2'));
  return sanitizeHtml(html, { ...ALLOWED, allowedAttributes: { a: ['href', 'class', 'rel'], '*': ['class'] } });
}

/** Plain text of Markdown, for snippets and feeds. */
export function markdownToText(source: string): string {
  return sanitizeHtml(markdown.render(source), { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
