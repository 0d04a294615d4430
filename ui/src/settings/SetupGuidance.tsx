/**
 * What to know before pasting a secret: use a dedicated connector account, where the token
 * (or OAuth client) is created, that Qualtrics shows it only once, and what regenerating
 * breaks. Each part links to its section of the Connecting Qualtrics guide.
 */
import { GuideLink } from "../help/GuideLink";
import { GUIDE_SECTIONS as G } from "../help/guide";
import type { AuthMethod } from "../ipc";

export function SetupGuidance(props: { method: AuthMethod }) {
  const oauth = props.method === "oauth";
  return (
    <aside className="guidance" data-testid={oauth ? "setup-guidance-oauth" : "setup-guidance-token"} aria-label="Before you paste">
      <p className="guidance__title">Before you paste</p>
      <ul className="guidance__list">
        <li data-testid="guidance-dedicated-account">
          <strong>Use a dedicated connector account</strong>: a Qualtrics user that owns or is shared only the surveys
          meant for Pulsemap, so the connection does not die with an employee’s login.{" "}
          <GuideLink section={G.dedicatedAccount} label="Why" />
        </li>
        {oauth ? (
          <>
            <li data-testid="guidance-where">
              Create the client in Qualtrics under <strong>Account Settings › Qualtrics IDs › OAuth clients › Create client</strong>{" "}
              with the scopes <code>read:surveys</code> and <code>read:survey_responses</code> (Pulsemap only reads).
            </li>
            <li data-testid="guidance-once" className="guidance__warning">
              Copy the client secret right away: Qualtrics <strong>cannot show it again later</strong>.{" "}
              <GuideLink section={G.oauth} label="OAuth steps" />
            </li>
          </>
        ) : (
          <>
            <li data-testid="guidance-where">
              Find the token in Qualtrics under <strong>Account Settings › Qualtrics IDs › API › Generate Token</strong>.
              Qualtrics shows it <strong>only once</strong>: copy it straight here.
            </li>
            <li data-testid="guidance-regenerate" className="guidance__warning">
              Generating a new token <strong>revokes the old one</strong> and breaks every integration that uses it.{" "}
              <GuideLink section={G.apiToken} label="Token steps" />
            </li>
          </>
        )}
      </ul>
    </aside>
  );
}
