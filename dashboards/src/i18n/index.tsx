/**
 * Language state: Swedish by default, English with one click, remembered per browser
 * (a preference, not part of a shared link). `t(key, vars)` fills `{name}` placeholders;
 * `f` holds the formatters of the same language.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatters, type Formatters, type Lang } from '../format.ts';
import { en } from './en.ts';
import { sv, type MessageKey } from './sv.ts';

export type { MessageKey };
export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const DICTS: Record<Lang, Record<MessageKey, string>> = { sv, en };
const STORAGE_KEY = 'licenskoll.lang';

/** A count of exactly one, as numbers arrive here: raw, or formatted with spaces ("1", 1). */
const isOne = (v: string | number) => String(v).replace(/\s/g, '') === '1';

/**
 * Fills `{name}` with its value and `{name|one|other}` with the word that agrees with the
 * count (1 plats, 2 platser): both languages inflect only for one against many.
 */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (m, name: string, one: string, other: string) => (name in vars ? (isOne(vars[name]!) ? one : other) : m))
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator(lang: Lang): Translate {
  const dict = DICTS[lang];
  return (key, vars) => interpolate(dict[key] ?? sv[key] ?? key, vars);
}

export interface I18n {
  lang: Lang;
  t: Translate;
  f: Formatters;
  setLang(lang: Lang): void;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'sv';
  } catch {
    return 'sv';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Preference not kept; the choice still applies to this page.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, t: translator(lang), f: formatters(lang), setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
