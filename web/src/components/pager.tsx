/** Previous / next page buttons for cursor lists. */
export function Pager({ page, hasPrev, hasNext, onPrev, onNext, label }: { page: number; hasPrev: boolean; hasNext: boolean; onPrev: () => void; onNext: () => void; label: string }) {
  if (!hasPrev && !hasNext) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="button secondary small" disabled={!hasPrev} onClick={onPrev}>
        Previous
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" className="button secondary small" disabled={!hasNext} onClick={onNext}>
        Next
      </button>
    </nav>
  );
}
