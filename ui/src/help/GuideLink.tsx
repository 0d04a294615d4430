/** "How to fix this" link from a banner to its section of the Connecting Qualtrics guide. */
import { useOpenGuide, type GuideSection } from "./guide";

export function GuideLink(props: { section: GuideSection | null | undefined; label?: string }) {
  const openGuide = useOpenGuide();
  if (!openGuide || !props.section) return null;
  const section = props.section;
  return (
    <button
      type="button"
      className="button button--small button--link"
      data-testid={`guide-link-${section}`}
      onClick={() => openGuide(section)}
    >
      {props.label ?? "How to fix this"}
    </button>
  );
}
