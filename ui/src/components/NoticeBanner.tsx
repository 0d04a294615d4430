/** A connection notice as a banner, with the link to its section of the guide. */
import type { ReactNode } from "react";
import { GuideLink } from "../help/GuideLink";
import type { Notice } from "../lib/connection";
import { Banner } from "./Banner";

export function NoticeBanner(props: { notice: Notice; testId?: string; compact?: boolean; actions?: ReactNode }) {
  const n = props.notice;
  const link = <GuideLink section={n.guide} />;
  return (
    <Banner
      tone={n.tone}
      title={n.title}
      testId={props.testId ?? `banner-${n.id}`}
      compact={props.compact}
      actions={
        props.actions || n.guide ? (
          <>
            {link}
            {props.actions}
          </>
        ) : undefined
      }
    >
      {n.body}
    </Banner>
  );
}
