import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './rich-text';

describe('renderMarkdown', () => {
  it.each([
    ['<script>alert(1)</script>'],
    ['<img src=x onerror="alert(1)">'],
    ['[click](javascript:alert(1))'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['<div onclick="steal()">hi</div>'],
    ['<iframe src="https://evil.example"></iframe>'],
    ['<svg onload=alert(1)>'],
    ['<scr<script>ipt>alert(1)</script>'],
  ])('never lets %s run: no script-capable element, event handler or javascript: link in the output', (source) => {
    const root = parse(renderMarkdown(source));
    expect(root.querySelectorAll('script, img, iframe, svg, object, embed, style')).toHaveLength(0);
    for (const el of root.querySelectorAll('*')) {
      expect(Object.keys(el.attributes).filter((a) => a.toLowerCase().startsWith('on'))).toEqual([]);
      expect(el.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
    }
  });

  it('keeps ordinary formatting, with GOV.UK classes', () => {
    const html = renderMarkdown('We **doubled** attendance calls.\n\n- first\n- second\n\n[EEF guidance](https://educationendowmentfoundation.org.uk)');
    expect(html).toContain('<strong>doubled</strong>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html).toContain('<a href="https://educationendowmentfoundation.org.uk" class="govuk-link" rel="noopener nofollow">');
  });

  it('demotes headings below the page structure', () => {
    expect(renderMarkdown('# Big')).toContain('<h3 class="govuk-heading-s">Big</h3>');
  });
});

describe('markdownToText', () => {
  it('gives plain text', () => {
    expect(markdownToText('**Bold** and _italic_')).toBe('Bold and italic');
  });
});
