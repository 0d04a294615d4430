/**
 * Help > Connecting Qualtrics: the bundled guide, scrolled to the section a banner linked to
 * (its heading takes the focus, so keyboard and screen-reader users land there too).
 */
import { useEffect } from "react";
import { GUIDE_MARKDOWN, type GuideSection } from "./guide";
import { Markdown } from "./Markdown";

export function GuidePage(props: { section?: GuideSection }) {
  useEffect(() => {
    const target = props.section ? document.getElementById(props.section) : null;
    if (!target) return;
    target.scrollIntoView?.({ block: "start" });
    target.focus({ preventScroll: true });
  }, [props.section]);
  return (
    <div className="page" data-testid="guide-page">
      <div className="page__content page__content--narrow guide">
        <Markdown text={GUIDE_MARKDOWN} />
      </div>
    </div>
  );
}
