import type { HostContext } from './host.js';
import { useLocale } from './i18n.js';

/**
 * The host's look: its light or dark theme, the CSS variables it passes (SEP-1865's standard names, which
 * style.css reads with fallbacks of its own) and its fonts; the locale chooses the words and the direction.
 */
export function applyContext(context: HostContext): void {
  const root = document.documentElement;
  if (context.theme === 'light' || context.theme === 'dark') {
    root.dataset.theme = context.theme;
    root.style.colorScheme = context.theme;
  }
  for (const [name, value] of Object.entries(context.styles?.variables ?? {})) {
    if (name.startsWith('--') && typeof value === 'string') root.style.setProperty(name, value);
  }
  const fonts = context.styles?.css?.fonts;
  if (typeof fonts === 'string') {
    const style = document.getElementById('host-fonts') ?? document.head.appendChild(Object.assign(document.createElement('style'), { id: 'host-fonts' }));
    style.textContent = fonts;
  }
  if (context.locale !== undefined || !root.lang) useLocale(context.locale);
}
