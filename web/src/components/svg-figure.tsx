/**
 * A figure drawn by the plot functions of `src/study/plots` (Kaplan–Meier, waterfall, swimmer). They
 * return SVG text in which every label is escaped and which holds no script or style attribute, so it
 * is placed as markup; the SVG carries its own title and `role="img"` for assistive technology.
 */
export function SvgFigure({
  id,
  svg,
  caption,
}: {
  readonly id: string;
  readonly svg: string;
  readonly caption: string;
}) {
  return (
    <figure className="plot" id={id}>
      <div className="plot-svg" dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
