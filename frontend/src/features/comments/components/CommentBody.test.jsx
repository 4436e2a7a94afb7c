import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import CommentBody, { linkParts } from './CommentBody';

afterEach(() => {
  delete window.__pwned;
});

describe('CommentBody', () => {
  it('keeps line breaks as text and makes http(s) addresses links that open safely', () => {
    const { container } = render(<CommentBody body={'First line\nSee https://example.com/a?b=1.\nThanks'} />);
    const paragraph = container.querySelector('p');
    expect(paragraph.textContent).toBe('First line\nSee https://example.com/a?b=1.\nThanks');
    const link = screen.getByRole('link', { name: 'https://example.com/a?b=1' });
    expect(link).toHaveAttribute('href', 'https://example.com/a?b=1');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveAttribute('target', '_blank');
  });

  it.each([
    ['a script tag', '<script>window.__pwned = 1</script>'],
    ['an image with onerror', '<img src=x onerror="window.__pwned = 1">'],
    ['markup', '<b>bold</b><a href="/x" onclick="window.__pwned = 1">click</a>'],
    ['an iframe', '<iframe src="javascript:window.__pwned=1"></iframe>'],
  ])('shows %s as text and never as markup', (_label, body) => {
    const alert = vi.spyOn(window, 'alert').mockImplementation(() => {});
    const { container } = render(<CommentBody body={body} />);
    const paragraph = container.querySelector('p');
    expect(paragraph.textContent).toBe(body);
    expect(paragraph.querySelector('script, img, b, iframe')).toBeNull();
    expect(paragraph.querySelectorAll('a')).toHaveLength(0);
    expect(window.__pwned).toBeUndefined();
    expect(alert).not.toHaveBeenCalled();
    alert.mockRestore();
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
  ])('does not link %s', (body) => {
    const { container } = render(<CommentBody body={`click ${body}`} />);
    expect(container.querySelectorAll('a')).toHaveLength(0);
    expect(container.textContent).toBe(`click ${body}`);
  });

  it('does not let a link carry markup or quotes out of its href', () => {
    const body = 'https://example.com/"onmouseover="alert(1) and https://ok.example/<script>';
    const { container } = render(<CommentBody body={body} />);
    expect(container.textContent).toBe(body);
    for (const a of container.querySelectorAll('a')) {
      expect(a.getAttribute('href')).toMatch(/^https:\/\//);
      expect(a.getAttributeNames().sort()).toEqual(['href', 'rel', 'target']);
    }
    expect(container.querySelector('script')).toBeNull();
  });

  it('splits text and links', () => {
    expect(linkParts('a http://x.test/ b')).toEqual([
      { text: 'a ' },
      { text: 'http://x.test/', href: 'http://x.test/' },
      { text: ' b' },
    ]);
  });
});
