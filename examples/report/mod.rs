//! Progress bars and plots for the training examples (host only).
//!
//! The bar shows the current loss and draws on a terminal only, so piped
//! output stays plain. Plots are PNG files under `target/plots/`, each with
//! a title, axes with tick labels and a legend. Their text is drawn with
//! DejaVu Sans, compiled into the example by the `dejavu` crate and
//! rasterised by plotters' pure-Rust `ab_glyph` support: no system fonts and
//! no font libraries are needed.
#![allow(dead_code)]

use std::error::Error;
use std::path::PathBuf;
use std::sync::OnceLock;

use indicatif::{ProgressBar, ProgressStyle};
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// A progress bar over `len` steps of `what`, showing the loss as its message.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let template = format!("{what} {{bar:40}} {{pos}}/{{len}}  loss {{msg}}  ({{elapsed}})");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// `target/plots/<name>.png`, with its directory created.
fn plot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/plots");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{name}.png"))
}

type PlotResult = Result<PathBuf, Box<dyn Error>>;

/// The family every plot's text uses, registered from the embedded fonts.
const FONT: &str = "sans-serif";

/// Registers DejaVu Sans (regular and bold) as [`FONT`], once.
fn fonts() -> Result<(), Box<dyn Error>> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded DejaVu Sans font did not load".into())
    }
}

fn title_font() -> TextStyle<'static> {
    (FONT, 22, FontStyle::Bold).into_font().into()
}

fn tick_font() -> TextStyle<'static> {
    (FONT, 15).into_font().into()
}

fn axis_font() -> TextStyle<'static> {
    (FONT, 17).into_font().into()
}

/// A tick label on a linear axis: decimals with as few digits as the value
/// needs (`-0.5`, `2`), and `0` for the rounding noise of a tick at zero.
fn tick(v: f64) -> String {
    let s = format!("{:.4}", (v * 1e4).round() / 1e4);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The ticks of a log axis over `[y0, y1]`, `y0` a power of ten: the
/// labelled ones, 1, 2 and 5 times each power of ten (only the powers
/// themselves over more than three decades, so labels never crowd), and the
/// other multiples, unlabelled.
fn log_ticks(y0: f32, y1: f32) -> (Vec<f32>, Vec<f32>) {
    let decades = (y1 / y0).log10();
    let labelled: &[u32] = if decades > 3.0 { &[1] } else { &[1, 2, 5] };
    let (mut bold, mut light) = (Vec::new(), Vec::new());
    let first = y0.log10().round() as i32;
    for exponent in first..=first + decades.ceil() as i32 {
        for mantissa in 1..=9_u32 {
            let v = (f64::from(mantissa) * 10_f64.powi(exponent)) as f32;
            if v < y0 || v > y1 {
                continue;
            }
            if labelled.contains(&mantissa) {
                bold.push(v);
            } else {
                light.push(v);
            }
        }
    }
    (bold, light)
}

/// A log axis's tick label: decimals (`0.05`) when the axis stays above
/// 0.001 within three decades, otherwise scientific notation (`1e-4`,
/// `2e-3`).
fn log_tick(v: f32, scientific: bool) -> String {
    let v = f64::from(v);
    if !scientific {
        return tick(v);
    }
    // Every tick is a whole multiple of a power of ten, up to f32 rounding.
    let exponent = (v.log10() + 1e-6).floor();
    let mantissa = (v / 10_f64.powf(exponent)).round();
    format!("{mantissa}e{exponent}")
}

/// The loss per epoch on a log scale, titled `title`, its curve labelled
/// `label` in the legend: `target/plots/<name>.png`.
pub fn loss_curve(name: &str, title: &str, label: &str, losses: &[f32]) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let finite: Vec<f32> = losses
        .iter()
        .copied()
        .filter(|l| *l > 0.0 && l.is_finite())
        .collect();
    let lo = finite
        .iter()
        .copied()
        .fold(f32::INFINITY, f32::min)
        .max(1e-12);
    let hi = finite
        .iter()
        .copied()
        .fold(0.0_f32, f32::max)
        .max(lo * 10.0);
    // The axis starts at a power of ten (plotters puts its first tick at the
    // first power of ten in range) and leaves a little room above the curve.
    let y0 = 10_f64.powf(f64::from(lo / 1.2).log10().floor()) as f32;
    let y1 = hi * 1.3;
    let (bold, light) = log_ticks(y0, y1);
    let scientific = y1 / y0 > 1e3 || y0 < 1e-3;
    let epochs = losses.len().max(2) as f32;
    {
        let root = BitMapBackend::new(&path, (900, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, title_font())
            .margin(18)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(
                1.0_f32..epochs,
                (y0..y1)
                    .log_scale()
                    .with_key_points(bold)
                    .with_light_points(light),
            )?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc("loss (log scale)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| log_tick(*y, scientific))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                losses
                    .iter()
                    .enumerate()
                    .map(|(k, l)| ((k + 1) as f32, l.clamp(y0, y1))),
                BLUE.stroke_width(2),
            ))?
            .label(label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLUE.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(tick_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .margin(12)
            .draw()?;
        root.present()?;
    }
    println!(
        "loss curve: {} (epochs 1..{}, loss {lo:.2e}..{hi:.2e})",
        path.display(),
        losses.len()
    );
    Ok(path)
}

/// Two curves over the same x, titled `title`: the truth (black, labelled
/// `truth_label`) and the fit (red, `fit_label`).
pub fn fit_curve(
    name: &str,
    title: &str,
    (truth_label, truth): (&str, &[(f32, f32)]),
    (fit_label, fit): (&str, &[(f32, f32)]),
) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let xs = truth.iter().chain(fit).map(|p| p.0);
    let ys = truth.iter().chain(fit).map(|p| p.1);
    let (x0, x1) = (
        xs.clone().fold(f32::INFINITY, f32::min),
        xs.fold(f32::NEG_INFINITY, f32::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f32::INFINITY, f32::min),
        ys.fold(f32::NEG_INFINITY, f32::max),
    );
    // Room above the curves for the legend.
    let pad = (y1 - y0).max(1e-6);
    {
        let root = BitMapBackend::new(&path, (900, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, title_font())
            .margin(18)
            .x_label_area_size(52)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, (y0 - 0.08 * pad)..(y1 + 0.3 * pad))?;
        chart
            .configure_mesh()
            .x_desc("x")
            .y_desc("y")
            .x_label_formatter(&|x| tick(f64::from(*x)))
            .y_label_formatter(&|y| tick(f64::from(*y)))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                truth.iter().copied(),
                BLACK.stroke_width(4),
            ))?
            .label(truth_label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(4)));
        chart
            .draw_series(LineSeries::new(fit.iter().copied(), RED.stroke_width(2)))?
            .label(fit_label)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], RED.stroke_width(2)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(tick_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .margin(12)
            .draw()?;
        root.present()?;
    }
    println!(
        "fit: {} (black: {truth_label}, red: {fit_label})",
        path.display()
    );
    Ok(path)
}

const CLASS_COLORS: [RGBColor; 3] = [
    RGBColor(230, 80, 60),
    RGBColor(60, 160, 70),
    RGBColor(60, 90, 220),
];

/// The decision regions of a 2-D classifier over `[lo, hi]^2`, titled
/// `title`: the plane shaded by the class `classify` picks, the labelled
/// points on top, and a legend of the classes beside the plot.
pub fn regions(
    name: &str,
    title: &str,
    (lo, hi): (f32, f32),
    classify: impl Fn(f32, f32) -> usize,
    points: &[([f32; 2], usize)],
) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let classes = points.iter().map(|p| p.1 + 1).max().unwrap_or(0).min(3);
    {
        let root = BitMapBackend::new(&path, (760, 640)).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.titled(title, title_font())?;
        let (plot, side) = root.split_horizontally(600);
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .x_label_area_size(50)
            .y_label_area_size(72)
            .build_cartesian_2d(lo..hi, lo..hi)?;
        let cells = 120;
        let step = (hi - lo) / cells as f32;
        chart.draw_series(
            (0..cells)
                .flat_map(|i| (0..cells).map(move |j| (i, j)))
                .map(|(i, j)| {
                    let (x, y) = (lo + step * i as f32, lo + step * j as f32);
                    let c = CLASS_COLORS[classify(x + step / 2.0, y + step / 2.0) % 3].mix(0.3);
                    Rectangle::new([(x, y), (x + step, y + step)], c.filled())
                }),
        )?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁ (first input)")
            .y_desc("x₂ (second input)")
            .x_label_formatter(&|x| tick(f64::from(*x)))
            .y_label_formatter(&|y| tick(f64::from(*y)))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .draw()?;
        chart.draw_series(
            points
                .iter()
                .map(|(p, class)| Circle::new((p[0], p[1]), 3, CLASS_COLORS[class % 3].filled())),
        )?;

        // The legend, beside the plot: a dot on its shade per class.
        let (x, mut y) = (8, 40);
        side.draw(&Text::new("class", (x, y), axis_font()))?;
        y += 34;
        for (class, color) in CLASS_COLORS.iter().enumerate().take(classes) {
            side.draw(&Rectangle::new(
                [(x, y - 10), (x + 22, y + 10)],
                color.mix(0.3).filled(),
            ))?;
            side.draw(&Circle::new((x + 11, y), 4, color.filled()))?;
            side.draw(&Text::new(format!("{class}"), (x + 32, y - 8), tick_font()))?;
            y += 32;
        }
        y += 12;
        for line in [
            "shade:",
            "predicted",
            "class",
            "",
            "dots:",
            "training",
            "points",
        ] {
            side.draw(&Text::new(line, (x, y), tick_font()))?;
            y += 20;
        }
        root.present()?;
    }
    println!(
        "decision regions: {} (x and y {lo}..{hi}; shade: predicted class, dots: data)",
        path.display()
    );
    Ok(path)
}

/// The colours of a signal's channels, in order.
const CHANNEL_COLORS: [RGBColor; 3] = [
    RGBColor(220, 60, 50),
    RGBColor(40, 150, 60),
    RGBColor(50, 90, 220),
];

/// Windows of a signal side by side, titled `title`: one panel per
/// `(name, window)` (`window[t][c]`, time-major), two to a row, each with
/// its channels as lines over time (`step` seconds apart) on one shared
/// vertical range, `unit` naming it, and the channels' names in a legend
/// along the bottom.
pub fn windows<const C: usize>(
    name: &str,
    title: &str,
    panels: &[(&str, &[[f32; C]])],
    channels: [&str; C],
    step: f32,
    unit: &str,
) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let values = panels.iter().flat_map(|p| p.1.iter().flatten().copied());
    let (lo, hi) = values.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let pad = 0.06 * (hi - lo).max(1e-6);
    let (y0, y1) = (lo - pad, hi + pad);
    let len = panels.iter().map(|p| p.1.len()).max().unwrap_or(2).max(2);
    let x1 = step * (len - 1) as f32;
    let rows = panels.len().div_ceil(2).max(1);
    {
        let height = 90 + 330 * rows as u32;
        let root = BitMapBackend::new(&path, (1100, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.titled(title, title_font())?;
        let (grid, legend) = root.split_vertically(height - 80);
        for ((panel, data), area) in panels.iter().zip(grid.split_evenly((rows, 2))) {
            let mut chart = ChartBuilder::on(&area)
                .caption(*panel, axis_font())
                .margin(12)
                .x_label_area_size(44)
                .y_label_area_size(64)
                .build_cartesian_2d(0.0_f32..x1, y0..y1)?;
            chart
                .configure_mesh()
                .x_desc("time (s)")
                .y_desc(unit)
                .x_label_formatter(&|x| tick(f64::from(*x)))
                .y_label_formatter(&|y| tick(f64::from(*y)))
                .label_style(tick_font())
                .axis_desc_style(tick_font())
                .bold_line_style(BLACK.mix(0.12))
                .light_line_style(BLACK.mix(0.04))
                .draw()?;
            for c in 0..C {
                let color = CHANNEL_COLORS[c % CHANNEL_COLORS.len()];
                chart.draw_series(LineSeries::new(
                    data.iter()
                        .enumerate()
                        .map(|(t, v)| (step * t as f32, v[c])),
                    color.stroke_width(2),
                ))?;
            }
        }
        // The legend: a swatch and a name per channel, centred.
        let (x, y) = (550 - 60 * C as i32, 14);
        for (c, channel) in channels.iter().enumerate() {
            let color = CHANNEL_COLORS[c % CHANNEL_COLORS.len()];
            let x = x + 120 * c as i32;
            legend.draw(&PathElement::new(
                vec![(x, y + 9), (x + 34, y + 9)],
                color.stroke_width(3),
            ))?;
            legend.draw(&Text::new(
                format!("{channel} axis"),
                (x + 42, y),
                axis_font(),
            ))?;
        }
        root.present()?;
    }
    println!(
        "windows: {} ({} panels, {lo:.2}..{hi:.2} {unit})",
        path.display(),
        panels.len()
    );
    Ok(path)
}

/// A classifier's training, titled `title`, in two panels: the mean
/// training loss per epoch (blue) and the test loss after it (red) on the
/// left, the test accuracy after each epoch on the right, over a dashed
/// line at `chance` (the accuracy of guessing, a fraction).
pub fn loss_and_accuracy(
    name: &str,
    title: &str,
    train_loss: &[f32],
    test_loss: &[f32],
    test_accuracy: &[f64],
    chance: f64,
) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let epochs = train_loss
        .len()
        .max(test_loss.len())
        .max(test_accuracy.len())
        .max(2) as f32;
    let top = train_loss
        .iter()
        .chain(test_loss)
        .copied()
        .filter(|l| l.is_finite())
        .fold(0.0_f32, f32::max)
        .max(1e-6)
        * 1.08;
    let per_epoch = |values: &[f32]| -> Vec<(f32, f32)> {
        values
            .iter()
            .enumerate()
            .map(|(k, v)| ((k + 1) as f32, v.clamp(0.0, top)))
            .collect()
    };
    {
        let root = BitMapBackend::new(&path, (1100, 520)).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.titled(title, title_font())?;
        let (left, right) = root.split_horizontally(550);
        let mut chart = ChartBuilder::on(&left)
            .caption("cross-entropy", axis_font())
            .margin(14)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(1.0_f32..epochs, 0.0_f32..top)?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc("loss")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| tick(f64::from(*y)))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        for (label, values, color) in [
            ("training (mean over the epoch)", train_loss, BLUE),
            ("test (after the epoch)", test_loss, RED),
        ] {
            chart
                .draw_series(LineSeries::new(per_epoch(values), color.stroke_width(2)))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(tick_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .margin(10)
            .draw()?;

        let mut chart = ChartBuilder::on(&right)
            .caption("test accuracy", axis_font())
            .margin(14)
            .x_label_area_size(48)
            .y_label_area_size(64)
            .build_cartesian_2d(1.0_f32..epochs, 0.0_f32..100.0)?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc("test windows classified right (%)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        let chance = (chance * 100.0) as f32;
        let gray = BLACK.mix(0.55);
        chart
            .draw_series(DashedLineSeries::new(
                [(1.0, chance), (epochs, chance)],
                8,
                6,
                gray.stroke_width(2),
            ))?
            .label(format!("chance ({chance:.0} %)"))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], gray.stroke_width(2))
            });
        chart
            .draw_series(LineSeries::new(
                test_accuracy
                    .iter()
                    .enumerate()
                    .map(|(k, a)| ((k + 1) as f32, (a * 100.0) as f32)),
                RED.stroke_width(2),
            ))?
            .label("test accuracy (after the epoch)")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], RED.stroke_width(2)));
        chart.draw_series(
            test_accuracy
                .iter()
                .enumerate()
                .map(|(k, a)| Circle::new(((k + 1) as f32, (a * 100.0) as f32), 3, RED.filled())),
        )?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(tick_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .margin(10)
            .draw()?;
        root.present()?;
    }
    println!(
        "training curves: {} (epochs 1..{}; loss left, test accuracy right)",
        path.display(),
        train_loss.len()
    );
    Ok(path)
}

/// One curve of [`curves`]: its legend label, colour, stroke width and points.
pub type Curve<'a> = (&'a str, RGBColor, u32, &'a [(f32, f32)]);

/// Several curves over the same x, titled `title`, with axis descriptions
/// `x_desc` and `y_desc`: each series is its legend label, its colour, its
/// stroke width and its points, drawn in order (the last on top):
/// `target/plots/<name>.png`.
pub fn curves(
    name: &str,
    title: &str,
    (x_desc, y_desc): (&str, &str),
    series: &[Curve<'_>],
) -> PlotResult {
    fonts()?;
    let path = plot_path(name);
    let points = || series.iter().flat_map(|s| s.3.iter());
    let (x0, x1) = points().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (y0, y1) = points().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    if !(x0 < x1 && y0 <= y1) {
        return Err("no points to plot".into());
    }
    // Room above the curves for the legend.
    let pad = (y1 - y0).max(1e-6);
    {
        let root = BitMapBackend::new(&path, (1000, 560)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, title_font())
            .margin(18)
            .x_label_area_size(52)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, (y0 - 0.08 * pad)..(y1 + 0.35 * pad))?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| tick(f64::from(*x)))
            .y_label_formatter(&|y| tick(f64::from(*y)))
            .label_style(tick_font())
            .axis_desc_style(axis_font())
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(BLACK.mix(0.04))
            .draw()?;
        for &(label, color, width, points) in series {
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    color.stroke_width(width),
                ))?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(width))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(tick_font())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5))
            .margin(12)
            .draw()?;
        root.present()?;
    }
    let labels: Vec<&str> = series.iter().map(|s| s.0).collect();
    println!("plot: {} ({})", path.display(), labels.join(", "));
    Ok(path)
}
