// Keeps a page area live while it is on screen (feedback_app/live_feeds.py): renders nothing.
//
// onAttach() when the area is mounted and the state is hydrated, and again after every
// reconnect (hydration goes false, then true: the new socket may be held by another worker,
// whose hub must learn about this tab). onLeave(epoch) when the area unmounts (another tab of
// the page, another page), so the worker stops refreshing what nobody looks at.
import { useEffect, useRef } from "react";

export function LiveFollow({ hydrated, epoch, onAttach, onLeave }) {
  const callbacks = useRef({});
  callbacks.current = { onAttach, onLeave, epoch };
  useEffect(() => {
    if (hydrated) callbacks.current.onAttach?.();
  }, [hydrated]);
  useEffect(() => () => callbacks.current.onLeave?.(callbacks.current.epoch || ""), []);
  return null;
}
