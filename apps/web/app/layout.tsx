import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ThemeToggle } from '../src/components/ThemeToggle.tsx';
import './globals.css';

export const metadata: Metadata = {
  title: 'AlignScope',
  description: 'Are vision models that are more aligned with humans also more robust to adversarial attack?',
};

/** Applies the saved theme before the first paint (no flash); inline, so no extra request. */
const themeScript = `try{var t=localStorage.getItem('alignscope-theme');if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}`;

const NAV = [
  ['/', 'Leaderboard'],
  ['/correlations', 'Correlations'],
  ['/studies', 'Studies'],
  ['/benchmarks', 'Benchmarks'],
  ['/compare', 'Compare'],
  ['/submit', 'Submit'],
] as const;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant script, no user input */}
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>
        <a href="#content" className="skip-link">
          Skip to content
        </a>
        <header className="site-header">
          <a href="/" className="brand">
            AlignScope
          </a>
          <nav aria-label="Main">
            <ul>
              {NAV.map(([href, label]) => (
                <li key={href}>
                  <a href={href}>{label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <ThemeToggle />
        </header>
        <main id="content">{children}</main>
        <footer className="site-footer">
          AlignScope: are vision models that are more aligned with humans also more robust to adversarial
          attack? · <a href="/api/graphql">GraphQL API</a>
        </footer>
      </body>
    </html>
  );
}
