#!/usr/bin/python3
"""Writes the measured sections of models/samaudio-mini/MODEL_CARD.md from `samaudio eval --json` output, so that no
figure of them is typed by hand.

usage: card.py NEW_VERSION [OLD_VERSION]

Reads models/samaudio-mini/evaluation/<version>/ (committed; written by eval_pack.sh):
  dense-seen.json, dense-heldout-captions.json, dense-absent.json   the 10 s eval set (make_eval.py)
  soundscape.json                                                  the reserved-package soundscape (make_soundscape.py)
  validation.json                                                  the validation soundscape (make_soundscape.py --validation), optional
  activity.json                                                    `samaudio eval --tune-activity` on the validation soundscape, optional
  background-suppress/*.json                                       the same with `--background suppress` (decision 0010), optional
and replaces, in MODEL_CARD.md, the text between `<!-- card.py:NAME -->` and `<!-- /card.py:NAME -->` for NAME in
dense, soundscape, validation and background. OLD_VERSION's figures stand beside the new ones; in the background
section, the new version's kept-background figures stand beside its suppressed ones.
"""
import json
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.join(HERE, "..", "samaudio-mini")
CARD = os.path.join(PACK, "MODEL_CARD.md")
TARGETS = {"event": 6.0, "over_baseline": 3.0, "f1": 0.7, "absent": -20.0, "false_per_hour": 5.0}


def load(version, name, folder=""):
    path = os.path.join(PACK, "evaluation", version, folder, f"{name}.json")
    return json.load(open(path)) if os.path.exists(path) else None


def db(value, bold=False, digits=2):
    if value is None:
        return "-"
    text = f"{value:.{digits}f} dB"
    return f"**{text}**" if bold else text


def num(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def dense_block(new, old, versions):
    seen, held, absent = (new[k] for k in ("dense-seen", "dense-heldout-captions", "dense-absent"))
    rows = [
        ("SI-SDRi, seen captions", seen, "siSdri", "meanSiSdri", ">= 10 dB"),
        ("SI-SDRi, held-out captions", held, "siSdri", "meanSiSdri", ">= 8 dB"),
        ("absent prompt, target energy vs mixture", absent, "absentEnergyDb", "meanAbsentEnergyDb", "<= -20 dB"),
    ]
    old_sets = [old.get(k) if old else None for k in ("dense-seen", "dense-heldout-captions", "dense-absent")]
    lines = [f"| measure | {versions[0]} mean | {versions[0]} median | {versions[1] + ' mean' if old else ''} | target |",
             "|---|---|---|---|---|"]
    for (label, data, key, mean_key, target), before in zip(rows, old_sets):
        values = [i[key] for i in data["items"] if i[key] is not None]
        lines.append(f"| {label} ({len(values)} items) | {db(data[mean_key], True, 3)} | {db(statistics.median(values))} | "
                     f"{db(before[mean_key], digits=3) if before else ''} | {target} |")
    lines.append("")
    for title, data in (("Per class, seen captions", seen), ("Held-out captions", held)):
        classes = sorted(((c["class"], c["meanSiSdri"]) for c in data["perClass"] if c["meanSiSdri"] is not None),
                         key=lambda p: -p[1])
        lines.append(f"{title} ({versions[0]}, mean of the class's items, dB): " +
                     ", ".join(f"{c} {v:.1f}" for c, v in classes) + ".")
        lines.append("")
    return "\n".join(lines).rstrip()


def soundscape_rows(data):
    present = [i for i in data["items"] if i["soundscape"] and i["soundscape"]["events"] > 0]
    absent = [i for i in data["items"] if i["soundscape"] and i["soundscape"]["events"] == 0]
    return present, absent


def soundscape_block(new, old, versions, key, whole_packages=True):
    data, before = new.get(key), old.get(key) if old else None
    if data is None:
        return f"(no {key}.json for {versions[0]})"
    present, absent = soundscape_rows(data)
    old_present = {i["class"]: i for i in soundscape_rows(before)[0]} if before else {}
    old_absent = {i["class"]: i for i in soundscape_rows(before)[1]} if before else {}
    ov = versions[1] if before else ""
    lines = [f"| class | events | SI-SDRi {versions[0]} | SI-SDRi {ov} | SI-SDRi spectral subtraction | recall | precision | F1 "
             f"| F1 {ov} | false regions/h |", "|---|---|---|---|---|---|---|---|---|---|"]
    for item in sorted(present, key=lambda i: i["class"]):
        s, b = item["soundscape"], old_present.get(item["class"])
        lines.append(f"| {item['class']} | {s['events']} | {db(item['siSdri'], True)} | {db(b['siSdri']) if b else ''} | "
                     f"{db(s['baselineSiSdri'])} | {num(s['recall'])} | {num(s['precision'])} | {num(s['f1'])} | "
                     f"{num(b['soundscape']['f1']) if b else ''} | {s['falseRegionsPerHour']:.0f} |")
    summary, old_summary = data["soundscape"], before["soundscape"] if before else None
    lines.append(f"| **all events** | {summary['events']} | {db(summary['meanSiSdri'], True)} | "
                 f"{db(old_summary['meanSiSdri']) if old_summary else ''} | {db(summary['meanBaselineSiSdri'], True)} | | | "
                 f"mean {num(summary['meanF1'])} | {'mean ' + num(old_summary['meanF1']) if old_summary else ''} | |")
    if whole_packages and summary["wholePackageEvents"]:
        lines.append(f"| **whole held-out packages** | {summary['wholePackageEvents']} | {db(summary['wholePackageSiSdri'], True)} | "
                     f"{db(old_summary['wholePackageSiSdri']) if old_summary else ''} | {db(summary['wholePackageBaselineSiSdri'])} | | | | | |")
    lines += ["", f"| absent prompt | target energy vs mixture {versions[0]} | {ov} | false regions/h {versions[0]} | {ov} |",
              "|---|---|---|---|---|"]
    for item in sorted(absent, key=lambda i: i["class"]):
        b = old_absent.get(item["class"])
        lines.append(f"| {item['prompt']} | {db(item['absentEnergyDb'])} | {db(b['absentEnergyDb']) if b else ''} | "
                     f"{item['soundscape']['falseRegionsPerHour']:.0f} | {b['soundscape']['falseRegionsPerHour']:.0f} |" if b else
                     f"| {item['prompt']} | {db(item['absentEnergyDb'])} | | {item['soundscape']['falseRegionsPerHour']:.0f} | |")
    lines.append(f"| **mean** | {db(summary['meanAbsentEnergyDb'], True)} | {db(old_summary['meanAbsentEnergyDb']) if old_summary else ''} | "
                 f"**{num(summary['absentFalsePerHour'], 1)}** | {num(old_summary['absentFalsePerHour'], 1) if old_summary else ''} |")
    lines += ["", targets_line(summary, present, versions[0])]
    return "\n".join(lines)


def targets_line(summary, present, version):
    worst = min(present, key=lambda i: i["siSdri"])
    checks = [
        (f"mean event SI-SDRi {summary['meanSiSdri']:.2f} dB >= {TARGETS['event']:.0f} dB", summary["meanSiSdri"] >= TARGETS["event"]),
        (f"{summary['meanSiSdri'] - summary['meanBaselineSiSdri']:+.2f} dB over spectral subtraction (>= +{TARGETS['over_baseline']:.0f})",
         summary["meanSiSdri"] - summary["meanBaselineSiSdri"] >= TARGETS["over_baseline"]),
        (f"activity F1 {summary['meanF1']:.2f} >= {TARGETS['f1']}", summary["meanF1"] >= TARGETS["f1"]),
        (f"absent prompts {summary['meanAbsentEnergyDb']:.2f} dB <= {TARGETS['absent']:.0f} dB", summary["meanAbsentEnergyDb"] <= TARGETS["absent"]),
        (f"{summary['absentFalsePerHour']:.1f} false regions/h <= {TARGETS['false_per_hour']:.0f}", summary["absentFalsePerHour"] <= TARGETS["false_per_hour"]),
        (f"no class below 0 dB (lowest: {worst['class']} {worst['siSdri']:.2f} dB)", worst["siSdri"] >= 0),
    ]
    met = sum(ok for _, ok in checks)
    return (f"Issue 20's targets, {version}: {met} of {len(checks)} met. " +
            "; ".join(f"{text}: {'met' if ok else 'not met'}" for text, ok in checks) + ".")


def activity_block(version):
    chosen = load(version, "activity")
    if chosen is None:
        return ""
    keys = ("minEnergyShare", "seedEnergyShare", "minLevelDb", "maxGapSeconds", "minRegionSeconds")
    lines = [f"Activity settings of {version} (`modelpack.json` `activity`, chosen by `samaudio eval --tune-activity` on "
                 f"this validation recording: {chosen.get('chosenOn', '')}): " +
             ", ".join(f"{k} {chosen[k]}" for k in keys if k in chosen) + "."]
    confidence = chosen.get("confidence")
    if confidence:
        lines.append(f"Confidence: {confidence['meaning']} ({len(confidence['points'])} points, from score "
                     f"{confidence['points'][0][0]:.3f} -> {confidence['points'][0][1]:.2f} to "
                     f"{confidence['points'][-1][0]:.3f} -> {confidence['points'][-1][1]:.2f}).")
    return "\n\n" + "\n".join(lines)


def background_block(new, version):
    """The soundscapes and the dense means with `--background suppress` beside the same pack keeping it."""
    suppressed = {k: load(version, k, "background-suppress") for k in new}
    if suppressed["soundscape"] is None:
        return f"(no background-suppress/soundscape.json for {version})"
    labels = [f"{version} suppress", f"{version} keep"]
    lines = ["Reserved-package soundscape:", "", soundscape_block(suppressed, new, labels, "soundscape")]
    if suppressed["validation"] is not None and new["validation"] is not None:
        lines += ["", "Validation soundscape:", "", soundscape_block(suppressed, new, labels, "validation", whole_packages=False)]
    dense = []
    for key, title in (("dense-seen", "seen captions"), ("dense-heldout-captions", "held-out captions")):
        if suppressed[key] is not None:
            dense.append(f"{title} {new[key]['meanSiSdri']:.3f} -> {suppressed[key]['meanSiSdri']:.3f} dB")
    if suppressed["dense-absent"] is not None:
        dense.append(f"absent prompts {new['dense-absent']['meanAbsentEnergyDb']:.3f} -> {suppressed['dense-absent']['meanAbsentEnergyDb']:.3f} dB")
    if dense:
        lines += ["", "Dense 10 s eval, keep -> suppress (every source active, steady classes among the targets): " + "; ".join(dense) + "."]
    return "\n".join(lines)


def replace(card, name, text):
    pattern = re.compile(rf"(<!-- card.py:{name} -->\n).*?(<!-- /card.py:{name} -->)", re.S)
    if not pattern.search(card):
        sys.exit(f"MODEL_CARD.md has no <!-- card.py:{name} --> ... <!-- /card.py:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + text.rstrip("\n") + "\n" + m.group(2), card)


def main():
    versions = sys.argv[1:3] + ([""] if len(sys.argv) < 3 else [])
    new = {k: load(versions[0], k) for k in ("dense-seen", "dense-heldout-captions", "dense-absent", "soundscape", "validation")}
    old = {k: load(versions[1], k) for k in new} if versions[1] else None
    missing = [k for k in ("dense-seen", "dense-heldout-captions", "dense-absent", "soundscape") if new[k] is None]
    if missing:
        sys.exit(f"evaluation/{versions[0]}/ lacks {', '.join(missing)}.json: run eval_pack.sh first")
    card = open(CARD).read()
    card = replace(card, "dense", dense_block(new, old, versions))
    card = replace(card, "soundscape", soundscape_block(new, old, versions, "soundscape"))
    card = replace(card, "validation", soundscape_block(new, old, versions, "validation", whole_packages=False) + activity_block(versions[0]))
    card = replace(card, "background", background_block(new, versions[0]))
    with open(CARD + ".tmp", "w") as f:
        f.write(card)
    os.replace(CARD + ".tmp", CARD)
    print(f"MODEL_CARD.md: dense, soundscape, validation and background sections written from evaluation/{versions[0]}"
          + (f" beside {versions[1]}" if versions[1] else ""))


if __name__ == "__main__":
    main()
