/**
 * Ordlista: the terms a purchaser meets in Licenskoll (aktiv användare, nyttjandegrad, SS12000,
 * BOL, IdP, LTI, Caliper…) in plain words, then every column and figure as the tables and
 * exports explain it. Each entry has an anchor (`/glossary#nyttjandegrad`) to link to.
 */
import { useEffect } from 'react';
import { PageHeader } from '../components/PageHeader.tsx';
import { GLOSSARY, GLOSSARY_COLUMNS, type GlossaryEntry } from '../explain.ts';
import { useI18n } from '../i18n/index.tsx';

function Entries({ entries, labelledBy }: { entries: GlossaryEntry[]; labelledBy: string }) {
  const { lang } = useI18n();
  return (
    <dl className="glossary" aria-labelledby={labelledBy}>
      {entries.map((e) => (
        <div key={e.id} className="glossary-entry" id={e.id}>
          <dt lang={lang}>{e.term[lang]}</dt>
          <dd>{e.text[lang]}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function GlossaryPage() {
  const { t } = useI18n();
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    if (id) document.getElementById(id)?.scrollIntoView();
  }, []);
  return (
    <>
      <PageHeader title={t('glossary.title')} lead={t('glossary.lead')} />
      <section className="panel" aria-labelledby="glossary-terms">
        <div className="panel-head"><h2 id="glossary-terms">{t('glossary.terms')}</h2></div>
        <Entries entries={GLOSSARY} labelledBy="glossary-terms" />
      </section>
      <section className="panel" aria-labelledby="glossary-columns">
        <div className="panel-head"><h2 id="glossary-columns">{t('glossary.columns')}</h2></div>
        <p className="hint">{t('glossary.columnsLead')}</p>
        <Entries entries={GLOSSARY_COLUMNS} labelledBy="glossary-columns" />
      </section>
    </>
  );
}
