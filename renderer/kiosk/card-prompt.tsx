/** The animated "place your ID card here" prompt (a card sliding onto the reader). */
export function CardPrompt({ text }: { text: string }) {
  return (
    <div className="card-prompt" role="note">
      <div className="card-prompt-art" aria-hidden="true">
        <div className="card-prompt-reader" />
        <div className="card-prompt-card">
          <span />
        </div>
      </div>
      <p className="card-prompt-text">{text}</p>
    </div>
  );
}
