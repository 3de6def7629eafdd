# Writes a stand-in for aclImdb_v1.tar.gz (the Large Movie Review Dataset that the text tutorials download),
# for machines that cannot download it. Same layout: aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt, 12,500
# reviews in each (ratings 7–10 for pos, 1–4 for neg), aclImdb/train/unsup/<id>_0.txt (1,000 here; 50,000
# in the real archive — the tutorials delete that folder), aclImdb/imdb.vocab and a README.
#
# Shape: a 60,000-word vocabulary (181 common English and movie words, then made-up words) drawn by
# a Zipf law (exponent 1.05), so a 10,000-word TextVectorization covers ≈ 89 % of the tokens (a measured figure for the
# real reviews is not at hand here); review lengths log-normal (median ≈ 175 words, mean ≈ 210, clipped to 10…2,400); sentences with
# capitals, commas, '.', '!' and '<br /><br />' paragraph breaks, which the tutorial's standardization strips.
# Difficulty: 6 % of tokens come from an 800-word sentiment lexicon (400 leaning positive, 400 negative,
# 30 of each real words such as 'great'/'awful', Zipf-weighted). Each review has a tone (the share of its
# sentiment words that agree with its label) drawn from Beta(6, 1.8), mean 0.77, so some reviews mislead;
# short ones carry little evidence. The best possible rule on these reviews (the vote of the sentiment words
# given their true polarities) is right ≈ 89 % of the time (printed with --check) — the same region as a
# good bag-of-words model on the real reviews, but a model's figures here cannot equal the tutorial's:
# different words, no syntax, no sarcasm, no film-specific vocabulary.
#
# Run: python3 scripts/make_synthetic_aclimdb.py OUTPUT.tar.gz [REVIEWS_PER_CLASS=12500] [--check]   (needs NumPy)
import io, os, sys, tarfile, time
import numpy as np

FUNCTION_WORDS = ("the a and of to is in it i this that was as with for but movie on film you not are his have he be one "
                  "all at by an who they from so like her just about out if has what some there can more when very up no "
                  "time even my would which only story really see their had we me than much well do been get also into "
                  "will other because how people most him first them its made then make way could any too after films "
                  "characters think watch two many seen being character never plot acting little know where over life show "
                  "does ever did off years still say end here why through back these go scene scenes man something new "
                  "same while real thing director actually nothing another few before old work find going fact part quite "
                  "cast young world down lot things want series though around pretty got director's role music both actors "
                  "budget camera dialogue ending script minutes watching performance effects hollywood audience screen "
                  "action comedy horror drama production version book family").split()
POSITIVE = "great best love excellent wonderful beautiful perfect loved amazing favorite brilliant enjoyed superb fantastic touching fun masterpiece gem moving charming delightful hilarious powerful recommended stunning refreshing heartwarming outstanding enjoyable memorable".split()
NEGATIVE = "bad worst awful waste terrible boring stupid horrible poor dull lame ridiculous pointless mess annoying pathetic garbage crap disappointing unfunny worse fails badly mediocre avoid laughable redeeming dreadful incoherent tedious".split()

def made_up_words(count, rng, taken):
    syllables = ["ka", "lo", "mi", "ren", "ta", "vo", "shi", "dur", "el", "pan", "qui", "so", "bre", "na", "tor", "fi",
                 "gal", "um", "ze", "rho", "an", "bel", "cor", "dis", "ex", "fro", "gri", "hal", "jin", "mor", "ost", "pri"]
    words, seen = [], set(taken)
    while len(words) < count:
        word = "".join(rng.choice(syllables, rng.integers(2, 5)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words

def build_vocabulary(rng):
    general_count, lexicon_count = 60_000, 400
    made_up = made_up_words(general_count + 2 * lexicon_count, rng, FUNCTION_WORDS + POSITIVE + NEGATIVE)
    general = FUNCTION_WORDS + made_up[:general_count - len(FUNCTION_WORDS)]
    positive = POSITIVE + made_up[general_count:general_count + lexicon_count - len(POSITIVE)]
    negative = NEGATIVE + made_up[general_count + lexicon_count:general_count + 2 * lexicon_count - len(NEGATIVE)]
    zipf = lambda n, s: (lambda w: w / w.sum())(1.0 / np.arange(1, n + 1) ** s)
    return general, zipf(len(general), 1.05), positive, negative, zipf(lexicon_count, 0.9)

def reviews(count, label, rng, vocabulary):
    """Yields (text, number of agreeing sentiment words, number of disagreeing ones) for `count` reviews."""
    general, general_p, positive, negative, lexicon_p = vocabulary
    lengths = np.clip(rng.lognormal(np.log(175), 0.6, count), 10, 2400).astype(int)
    for length in lengths:
        tone = rng.beta(6, 1.8) if label is not None else 0.5
        is_sentiment = rng.random(length) < 0.06
        agrees = rng.random(length) < tone
        general_words = rng.choice(len(general), length, p=general_p)
        lexicon_words = rng.choice(len(lexicon_p), length, p=lexicon_p)
        words, agree_count, disagree_count = [], 0, 0
        for index in range(length):
            if is_sentiment[index]:
                leaning_positive = agrees[index] == (label != "neg")
                words.append((positive if leaning_positive else negative)[lexicon_words[index]])
                agree_count += int(agrees[index]); disagree_count += int(not agrees[index])
            else:
                words.append(general[general_words[index]])
        text, start = [], 0
        while start < length:
            end = min(length, start + int(rng.integers(6, 26)))
            sentence = words[start:end]
            if len(sentence) > 6 and rng.random() < 0.4:
                sentence[len(sentence) // 2] += ","
            sentence[0] = sentence[0].capitalize()
            text.append(" ".join(sentence) + ("!" if rng.random() < 0.08 else "."))
            if rng.random() < 0.12 and end < length:
                text.append("<br /><br />")
            start = end
        yield " ".join(text).replace(" <br /><br /> ", "<br /><br />"), agree_count, disagree_count

def add(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    archive.addfile(info, io.BytesIO(data))

def main():
    arguments = [a for a in sys.argv[1:] if a != "--check"]
    path = arguments[0]
    per_class = int(arguments[1]) if len(arguments) > 1 else 12500
    rng = np.random.default_rng(2026)
    vocabulary = build_vocabulary(rng)
    right = total = 0
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        add(archive, "aclImdb/README", b"Generated stand-in for the Large Movie Review Dataset v1.0 (scripts/make_synthetic_aclimdb.py); not real reviews.\n")
        add(archive, "aclImdb/imdb.vocab", ("\n".join(vocabulary[0] + vocabulary[2] + vocabulary[3]) + "\n").encode())
        for split in ["train", "test"]:
            for label in ["pos", "neg"]:
                for identifier, (text, agree, disagree) in enumerate(reviews(per_class, label, rng, vocabulary)):
                    rating = int(rng.integers(7, 11)) if label == "pos" else int(rng.integers(1, 5))
                    add(archive, "aclImdb/%s/%s/%d_%d.txt" % (split, label, identifier, rating), text.encode())
                    right += 1.0 if agree > disagree else 0.5 if agree == disagree else 0.0
                    total += 1
        for identifier, (text, _, _) in enumerate(reviews(min(1000, per_class), None, rng, vocabulary)):
            add(archive, "aclImdb/train/unsup/%d_0.txt" % identifier, text.encode())
    if "--check" in sys.argv:
        print("vote of the sentiment words (ties half right): %.3f of %d reviews" % (right / total, total))
    print("wrote", path)

main()
