import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'AlignScope',
  description: 'Are vision models that are more aligned with humans also more robust to adversarial attack?',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/" className="brand">
            AlignScope
          </a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
