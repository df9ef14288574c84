// The five task loaders on small fixtures in both layouts (the shared
// folder's and the canonical archives'), their errors and the registry.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "fixture.h"
#include "greenbench/error.h"
#include "greenbench/task.h"
#include "util/sha256.h"

using namespace greenbench;
using greenbench::testing::TempDir;
using greenbench::testing::write_file;

namespace {

// Shared-layout AG News: every field quoted, "" for a quote, \ for a line
// break, \$ for a dollar sign, and an empty title (joined rows).
const std::string kAgNewsTrain =
    "\"3\",\"Wall St. Bears Claw Back Into the Black (Reuters)\",\"Reuters - Short-sellers, Wall Street's "
    "dwindling\\band of ultra-cynics, are seeing green again.\"\n"
    "\"2\",\"\",\"Joined title and description, with \"\"quotes\"\", commas\\\\and a paragraph\"\n"
    "\"4\",\"Oil at \\$49\",\"Prices rose from  \\$49 a barrel.\"\n"
    "\"1\",\"Multi\nline\",\"field\"\n";
// sha256sum of kAgNewsTrain, computed outside greenbench.
const char* const kAgNewsTrainSha256 = "50ca43263c2e0a1140cbe26633f2288edd1d868c139b1ed43d75d0b82192c79d";

std::vector<int> labels_of(const Split& split) {
  std::vector<int> labels;
  for (const auto& example : split.examples) labels.push_back(example.label);
  return labels;
}

/// Runs `body`, which must throw DataFormatError, and returns it.
template <typename Body>
DataFormatError format_error(Body body) {
  try {
    body();
  } catch (const DataFormatError& e) {
    return e;
  }
  FAIL("expected DataFormatError");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("registry lists the five tasks in order with their labels", "[tasks][registry]") {
  auto tasks = registered_tasks();
  REQUIRE(tasks.size() == 5);
  std::vector<std::string> names;
  for (const auto& task : tasks) names.push_back(task->name());
  CHECK(names == std::vector<std::string>{"ag_news", "imdb", "sst2", "snli", "mnli"});
  CHECK(make_task("ag_news")->label_names() ==
        std::vector<std::string>{"World", "Sports", "Business", "Sci/Tech"});
  CHECK(make_task("imdb")->label_names() == std::vector<std::string>{"negative", "positive"});
  CHECK(make_task("sst2")->label_names() == std::vector<std::string>{"negative", "positive"});
  for (const char* nli : {"snli", "mnli"}) {
    CHECK(make_task(nli)->label_names() ==
          std::vector<std::string>{"entailment", "neutral", "contradiction"});
    CHECK(make_task(nli)->is_pair());
  }
  CHECK_FALSE(make_task("imdb")->is_pair());
  CHECK_THROWS_WITH(make_task("nope"), Catch::Contains("ag_news, imdb, sst2, snli, mnli"));
}

TEST_CASE("every task names its canonical archive, checksums are hex when present", "[tasks][registry]") {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"ag_news", "https://s3.amazonaws.com/fast-ai-nlp/ag_news_csv.tgz"},
      {"imdb", "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"},
      {"sst2", "https://dl.fbaipublicfiles.com/glue/data/SST-2.zip"},
      {"snli", "https://nlp.stanford.edu/projects/snli/snli_1.0.zip"},
      {"mnli", "https://cims.nyu.edu/~sbowman/multinli/multinli_1.0.zip"}};
  for (const auto& [name, url] : expected) {
    auto sources = make_task(name)->sources();
    REQUIRE(sources.size() == 1);
    CHECK(sources[0].url == url);
    CHECK(sources[0].is_archive);
    CHECK_FALSE(sources[0].file_name.empty());
    const std::string& sha = sources[0].sha256;
    CHECK((sha.empty() ||
           (sha.size() == 64 && sha.find_first_not_of("0123456789abcdef") == std::string::npos)));
  }
  CHECK(make_task("imdb")->sources()[0].sha256 ==
        "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe");
}

// ---------------------------------------------------------------- AG News

TEST_CASE("ag_news: shared layout, escapes, empty title, sha256", "[tasks][ag_news]") {
  TempDir dir;
  write_file(dir / "ag_news/train.csv", kAgNewsTrain);
  write_file(dir / "ag_news/dev.csv", "\"2\",\"T\",\"D\"\n");
  auto task = make_task("ag_news");
  const std::string folder = dir / "ag_news";
  CHECK(task->has_split(folder, "train"));
  CHECK(task->has_split(folder, "dev"));
  CHECK_FALSE(task->has_split(folder, "test"));

  Split train = task->load_split(folder, "train");
  CHECK(train.name == "train");
  CHECK(train.labelled);
  CHECK(train.files == std::vector<std::string>{folder + "/train.csv"});
  CHECK(train.sha256 == sha256_file(folder + "/train.csv"));
  CHECK(train.sha256 == kAgNewsTrainSha256);
  REQUIRE(train.examples.size() == 4);
  CHECK(labels_of(train) == std::vector<int>{2, 1, 3, 0});
  CHECK(train.examples[0].text_a ==
        "Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street's dwindling "
        "band of "
        "ultra-cynics, are seeing green again.");
  CHECK(train.examples[1].text_a == "Joined title and description, with \"quotes\", commas and a paragraph");
  CHECK(train.examples[2].text_a == "Oil at $49 Prices rose from  $49 a barrel.");
  CHECK(train.examples[3].text_a == "Multi\nline field");
  CHECK(train.examples[0].text_b.empty());

  Split dev = task->load_split(folder, "dev");
  REQUIRE(dev.examples.size() == 1);
  CHECK(dev.examples[0].text_a == "T D");
  CHECK(dev.examples[0].label == 1);
}

TEST_CASE("ag_news: canonical ag_news_csv/ layout with test and no dev", "[tasks][ag_news]") {
  TempDir dir;
  write_file(dir / "ag_news/ag_news_csv/train.csv", kAgNewsTrain);
  write_file(dir / "ag_news/ag_news_csv/test.csv", "\"4\",\"Apple\",\"releases\"\r\n\"1\",\"A\",\"B\"\r\n");
  write_file(dir / "ag_news/ag_news_csv/classes.txt", "World\nSports\nBusiness\nSci/Tech\n");
  auto task = make_task("ag_news");
  const std::string folder = dir / "ag_news";
  CHECK(task->has_split(folder, "train"));
  CHECK(task->has_split(folder, "test"));
  CHECK_FALSE(task->has_split(folder, "dev"));
  Split train = task->load_split(folder, "train");
  CHECK(train.files == std::vector<std::string>{folder + "/ag_news_csv/train.csv"});
  CHECK(train.examples.size() == 4);
  Split test = task->load_split(folder, "test");
  REQUIRE(test.examples.size() == 2);
  CHECK(test.examples[0].text_a == "Apple releases");
  CHECK(labels_of(test) == std::vector<int>{3, 0});
}

TEST_CASE("ag_news: malformed rows name file and line", "[tasks][ag_news]") {
  TempDir dir;
  auto task = make_task("ag_news");
  const std::string folder = dir / "ag_news";
  const std::string path = folder + "/train.csv";

  write_file(path, "\"1\",\"a\",\"b\"\n\"2\",\"only two\"\n");
  auto e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.file() == path);
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains(path + ":2:") && Catch::Contains("3 comma-separated fields") &&
                           Catch::Contains("found 2"));

  write_file(path, "\"1\",\"a\",\"b\"\n\"2\",\"a\",\"b\"\n\"5\",\"a\",\"b\"\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains("label from 1 to 4") && Catch::Contains("'5'"));

  write_file(path, "\"x\",\"a\",\"b\"\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);

  write_file(path, "\"1\",\"a\",\"b\"\n\"1\",\"a\",\"b\"\n\"1\",\"a\",\"unterminated, b\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains("closing double quote"));

  write_file(path, "\"1\",\"a\"b,\"c\"\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::Contains("must be doubled"));
}

TEST_CASE("ag_news: a missing split lists every path tried and how to get the data", "[tasks][ag_news]") {
  TempDir dir;
  auto task = make_task("ag_news");
  const std::string folder = dir / "ag_news";
  CHECK_FALSE(task->has_split(folder, "train"));
  try {
    task->load_split(folder, "train");
    FAIL("expected DataMissingError");
  } catch (const DataMissingError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains(folder + "/train.csv"));
    CHECK_THAT(message, Catch::Contains(folder + "/ag_news_csv/train.csv"));
    CHECK_THAT(message, Catch::Contains("run `greenbench data fetch ag_news` or pass --data DIR"));
  }
  CHECK_THROWS_WITH(task->load_split(folder, "validation"), Catch::Contains("unknown split"));
}

// ---------------------------------------------------------------- IMDB

TEST_CASE("imdb: shared CSV with header, <br /> tags, quotes and commas", "[tasks][imdb]") {
  TempDir dir;
  const std::string folder = dir / "imdb";
  write_file(folder + "/train.csv",
             "text,label,rating,source_file\n"
             "\"Great film.<br /><br />Loved it, truly.\",1,9,train/pos/1_9.txt\n"
             "\"A \"\"so-called\"\" comedy.<br/>Avoid<br>it\",0,2,train/neg/5_2.txt\n"
             "plain unquoted review,0,1,train/neg/7_1.txt\n");
  write_file(folder + "/dev.csv", "text,label,rating,source_file\r\n\"ok\",1,7,train/pos/2_7.txt\r\n");
  auto task = make_task("imdb");
  Split train = task->load_split(folder, "train");
  REQUIRE(train.examples.size() == 3);
  CHECK(train.examples[0].text_a == "Great film.  Loved it, truly.");
  CHECK(train.examples[1].text_a == "A \"so-called\" comedy. Avoid it");
  CHECK(train.examples[2].text_a == "plain unquoted review");
  CHECK(labels_of(train) == std::vector<int>{1, 0, 0});
  CHECK(train.sha256 == sha256_file(folder + "/train.csv"));
  Split dev = task->load_split(folder, "dev");
  REQUIRE(dev.examples.size() == 1);
  CHECK(dev.examples[0].label == 1);
  CHECK_FALSE(task->has_split(folder, "test"));
}

TEST_CASE("imdb: header columns may come in another order", "[tasks][imdb]") {
  TempDir dir;
  const std::string folder = dir / "imdb";
  write_file(folder + "/train.csv", "label,text\n0,\"bad, very\"\n1,good\n");
  Split train = make_task("imdb")->load_split(folder, "train");
  REQUIRE(train.examples.size() == 2);
  CHECK(train.examples[0].text_a == "bad, very");
  CHECK(labels_of(train) == std::vector<int>{0, 1});
}

TEST_CASE("imdb: canonical aclImdb tree, sorted order, folder sha256", "[tasks][imdb]") {
  TempDir dir;
  const std::string folder = dir / "imdb";
  const std::string train_dir = folder + "/aclImdb/train";
  write_file(train_dir + "/pos/10_7.txt", "Second positive.<br /><br />Good.");
  write_file(train_dir + "/pos/0_9.txt", "First positive.\n");
  write_file(train_dir + "/neg/1_1.txt", "Second negative.");
  write_file(train_dir + "/neg/0_3.txt", "First negative.");
  write_file(train_dir + "/unsup/0_0.txt", "unlabelled, must be ignored");
  write_file(train_dir + "/urls_pos.txt", "http://example.com\n");
  write_file(train_dir + "/labeledBow.feat", "0 0:1\n");
  write_file(folder + "/aclImdb/test/neg/0_2.txt", "Test negative.");
  write_file(folder + "/aclImdb/test/pos/0_10.txt", "Test positive.");
  auto task = make_task("imdb");
  CHECK(task->has_split(folder, "train"));
  CHECK(task->has_split(folder, "test"));
  CHECK_FALSE(task->has_split(folder, "dev"));

  Split train = task->load_split(folder, "train");
  REQUIRE(train.examples.size() == 4);
  std::vector<std::string> texts;
  for (const auto& example : train.examples) texts.push_back(example.text_a);
  CHECK(texts == std::vector<std::string>{"First negative.", "Second negative.", "First positive.",
                                          "Second positive.  Good."});
  CHECK(labels_of(train) == std::vector<int>{0, 0, 1, 1});
  CHECK(train.files == std::vector<std::string>{train_dir + "/neg/", train_dir + "/pos/"});

  // The documented tree digest: per file, in read order, relative path, NUL,
  // decimal size, NUL, contents.
  Sha256 expected;
  for (const auto& [relative, content] : std::vector<std::pair<std::string, std::string>>{
           {"neg/0_3.txt", "First negative."},
           {"neg/1_1.txt", "Second negative."},
           {"pos/0_9.txt", "First positive.\n"},
           {"pos/10_7.txt", "Second positive.<br /><br />Good."}}) {
    expected.update(relative);
    expected.update(std::string_view("\0", 1));
    expected.update(std::to_string(content.size()));
    expected.update(std::string_view("\0", 1));
    expected.update(content);
  }
  CHECK(train.sha256 == expected.hex_digest());
  CHECK(task->load_split(folder, "train").sha256 == train.sha256);

  // Any change of content or of a name changes the digest.
  write_file(train_dir + "/neg/1_1.txt", "Second negative!");
  const std::string changed = task->load_split(folder, "train").sha256;
  CHECK(changed != train.sha256);
  std::filesystem::rename(train_dir + "/neg/1_1.txt", train_dir + "/neg/2_1.txt");
  CHECK(task->load_split(folder, "train").sha256 != changed);

  Split test = task->load_split(folder, "test");
  CHECK(labels_of(test) == std::vector<int>{0, 1});
}

TEST_CASE("imdb: a tree without pos/ is reported as missing data", "[tasks][imdb]") {
  TempDir dir;
  const std::string folder = dir / "imdb";
  write_file(folder + "/aclImdb/train/neg/0_3.txt", "x");
  CHECK_THROWS_AS(make_task("imdb")->load_split(folder, "train"), DataMissingError);
  CHECK_THROWS_WITH(make_task("imdb")->load_split(folder, "train"), Catch::Contains("pos"));
}

TEST_CASE("imdb: malformed CSV names file and line", "[tasks][imdb]") {
  TempDir dir;
  const std::string folder = dir / "imdb";
  const std::string path = folder + "/train.csv";
  auto task = make_task("imdb");

  write_file(path, "review,sentiment\n\"x\",1\n");
  auto e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::Contains(path + ":1:") && Catch::Contains("text and label"));

  write_file(path, "text,label,rating,source_file\n\"a\",1,9,f\n\"b\",0,2\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains("4 fields") && Catch::Contains("found 3"));

  write_file(path, "text,label\n\"a\",positive\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains("label from 0 to 1"));

  write_file(path, "text,label\n\"a\nb\",1\n\"never closed,0\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 4);
}

// ---------------------------------------------------------------- SST-2

TEST_CASE("sst2: shared GLUE TSV layout", "[tasks][sst2]") {
  TempDir dir;
  const std::string folder = dir / "sst2";
  write_file(folder + "/train.tsv",
             "sentence\tlabel\nhide new secretions from the parental units \t0\n"
             "the greatest musicians \t1\n");
  write_file(folder + "/dev.tsv", "sentence\tlabel\nit 's a charming and often affecting journey . \t1\n");
  write_file(folder + "/train_sentences.tsv", "sentence\tlabel\nnot used\t1\n");
  auto task = make_task("sst2");
  Split train = task->load_split(folder, "train");
  CHECK(train.files == std::vector<std::string>{folder + "/train.tsv"});
  REQUIRE(train.examples.size() == 2);
  CHECK(train.examples[0].text_a == "hide new secretions from the parental units");
  CHECK(labels_of(train) == std::vector<int>{0, 1});
  CHECK(train.labelled);
  CHECK(train.sha256 == sha256_file(folder + "/train.tsv"));
  Split dev = task->load_split(folder, "dev");
  REQUIRE(dev.examples.size() == 1);
  CHECK(dev.examples[0].text_a == "it 's a charming and often affecting journey .");
}

TEST_CASE("sst2: canonical SST-2/ layout, GLUE's test.tsv has no labels", "[tasks][sst2]") {
  TempDir dir;
  const std::string folder = dir / "sst2";
  write_file(folder + "/SST-2/train.tsv", "sentence\tlabel\r\na\t1\r\nb\t0\r\n");
  write_file(folder + "/SST-2/dev.tsv", "sentence\tlabel\nc\t1\n");
  write_file(folder + "/SST-2/test.tsv",
             "index\tsentence\n0\tuneasy mishmash of styles and genres .\n1\tx\n");
  auto task = make_task("sst2");
  CHECK(task->has_split(folder, "test"));
  CHECK(labels_of(task->load_split(folder, "train")) == std::vector<int>{1, 0});
  Split test = task->load_split(folder, "test");
  CHECK_FALSE(test.labelled);
  REQUIRE(test.examples.size() == 2);
  CHECK(test.examples[0].text_a == "uneasy mishmash of styles and genres .");
  CHECK(labels_of(test) == std::vector<int>{-1, -1});
  CHECK(test.files == std::vector<std::string>{folder + "/SST-2/test.tsv"});
}

TEST_CASE("sst2: malformed TSV names file and line", "[tasks][sst2]") {
  TempDir dir;
  const std::string folder = dir / "sst2";
  const std::string path = folder + "/train.tsv";
  auto task = make_task("sst2");

  write_file(path, "sentence\tlabel\na\t1\nno tab here\nb\t0\n");
  auto e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains(path + ":3:") && Catch::Contains("2 tab-separated fields"));

  write_file(path, "sentence\tlabel\na\t2\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains("'2'"));

  write_file(path, "index\tsentence\n0\ta\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::Contains("'label' column"));

  write_file(path, "");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);
}

// ---------------------------------------------------------------- SNLI

TEST_CASE("snli: shared JSONL layout, '-' dropped", "[tasks][snli]") {
  TempDir dir;
  const std::string folder = dir / "snli";
  write_file(
      folder + "/train.jsonl",
      "{\"gold_label\": \"neutral\", \"sentence1\": \"A man.\", \"sentence2\": \"A tall man.\"}\n"
      "{\"gold_label\": \"-\", \"sentence1\": \"No consensus.\", \"sentence2\": \"x\"}\n"
      "\n"
      "{\"gold_label\": \"contradiction\", \"sentence1\": \"Caf\\u00e9 \\\"A\\\"\", \"sentence2\": \"B\"}\n"
      "{\"gold_label\": \"entailment\", \"sentence1\": \"C\", \"sentence2\": \"D\"}");
  auto task = make_task("snli");
  Split train = task->load_split(folder, "train");
  REQUIRE(train.examples.size() == 3);
  CHECK(train.examples[0].text_a == "A man.");
  CHECK(train.examples[0].text_b == "A tall man.");
  CHECK(train.examples[1].text_a == "Caf\xC3\xA9 \"A\"");
  CHECK(labels_of(train) == std::vector<int>{1, 2, 0});
  CHECK(train.sha256 == sha256_file(folder + "/train.jsonl"));
}

TEST_CASE("snli: canonical snli_1.0/ layout with the official extra fields", "[tasks][snli]") {
  TempDir dir;
  const std::string folder = dir / "snli";
  const std::string line_ok =
      "{\"annotator_labels\": [\"neutral\", \"entailment\"], \"captionID\": \"3416050480.jpg#4\", "
      "\"gold_label\": \"neutral\", \"pairID\": \"3416050480.jpg#4r1n\", "
      "\"sentence1\": \"A person on a horse jumps over a broken down airplane.\", "
      "\"sentence1_binary_parse\": \"( ( ( A person ) ( on ( a horse ) ) ) ( ( jumps ( over ( a ( broken ( "
      "down "
      "airplane ) ) ) ) ) . ) )\", \"sentence1_parse\": \"(ROOT (S (NP (NP (DT A) (NN person))) (. .)))\", "
      "\"sentence2\": \"A person is training his horse for a competition.\", "
      "\"sentence2_binary_parse\": \"( x )\", \"sentence2_parse\": \"(ROOT (S (NP (DT A))))\"}\n";
  const std::string line_dash =
      "{\"annotator_labels\": [\"neutral\", \"contradiction\", \"entailment\"], \"gold_label\": \"-\", "
      "\"sentence1\": \"s1\", \"sentence2\": \"s2\", \"pairID\": \"p\"}\n";
  for (const char* split : {"train", "dev", "test"}) {
    write_file(folder + "/snli_1.0/snli_1.0_" + std::string(split) + ".jsonl", line_ok + line_dash + line_ok);
  }
  write_file(folder + "/snli_1.0/snli_1.0_train.txt", "gold_label\tsentence1\n");
  auto task = make_task("snli");
  for (const char* split : {"train", "dev", "test"}) {
    CHECK(task->has_split(folder, split));
    Split loaded = task->load_split(folder, split);
    CHECK(loaded.files ==
          std::vector<std::string>{folder + "/snli_1.0/snli_1.0_" + std::string(split) + ".jsonl"});
    REQUIRE(loaded.examples.size() == 2);
    CHECK(loaded.examples[0].text_a == "A person on a horse jumps over a broken down airplane.");
    CHECK(loaded.examples[0].text_b == "A person is training his horse for a competition.");
    CHECK(loaded.examples[0].label == 1);
  }
}

TEST_CASE("snli: malformed JSONL names file and line", "[tasks][snli]") {
  TempDir dir;
  const std::string folder = dir / "snli";
  const std::string path = folder + "/train.jsonl";
  auto task = make_task("snli");
  const std::string good = "{\"gold_label\": \"neutral\", \"sentence1\": \"a\", \"sentence2\": \"b\"}\n";

  write_file(path, good + "{\"gold_label\": \"neutral\", \"sentence1\": \"a\", \n" + good);
  auto e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.what(), Catch::Contains(path + ":2:") && Catch::Contains("JSON object"));

  write_file(path, good + good + "{\"gold_label\": \"maybe\", \"sentence1\": \"a\", \"sentence2\": \"b\"}\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 3);
  CHECK_THAT(e.what(), Catch::Contains("'maybe'"));

  write_file(path, "{\"gold_label\": \"neutral\", \"sentence1\": \"a\"}\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 1);
  CHECK_THAT(e.what(), Catch::Contains("\"sentence2\""));

  write_file(path, "{\"gold_label\": 1, \"sentence1\": \"a\", \"sentence2\": \"b\"}\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK_THAT(e.what(), Catch::Contains("\"gold_label\""));

  write_file(path, good + "[1, 2]\n");
  e = format_error([&] { task->load_split(folder, "train"); });
  CHECK(e.line() == 2);
}

// ---------------------------------------------------------------- MultiNLI

TEST_CASE("mnli: shared layout reads dev_matched and test_matched", "[tasks][mnli]") {
  TempDir dir;
  const std::string folder = dir / "mnli";
  const std::string row =
      "{\"gold_label\": \"entailment\", \"sentence1\": \"P\", \"sentence2\": \"H\", \"genre\": "
      "\"fiction\"}\n";
  write_file(folder + "/train.jsonl", row + row);
  write_file(folder + "/dev_matched.jsonl",
             "{\"gold_label\": \"contradiction\", \"sentence1\": \"The new rights are nice enough\", "
             "\"sentence2\": \"Everyone really likes the newest benefits \"}\n");
  auto task = make_task("mnli");
  CHECK(task->load_split(folder, "train").examples.size() == 2);
  Split dev = task->load_split(folder, "dev");
  CHECK(dev.files == std::vector<std::string>{folder + "/dev_matched.jsonl"});
  REQUIRE(dev.examples.size() == 1);
  CHECK(dev.examples[0].text_b == "Everyone really likes the newest benefits ");
  CHECK(dev.examples[0].label == 2);
  CHECK_FALSE(task->has_split(folder, "test"));
  write_file(folder + "/test_matched.jsonl", row);
  CHECK(task->has_split(folder, "test"));
  CHECK(task->load_split(folder, "test").files == std::vector<std::string>{folder + "/test_matched.jsonl"});
}

TEST_CASE("mnli: canonical layout, dev_mismatched serves as test", "[tasks][mnli]") {
  TempDir dir;
  const std::string folder = dir / "mnli";
  const std::string prefix = folder + "/multinli_1.0/multinli_1.0_";
  auto row = [](const char* label, const char* genre) {
    return std::string("{\"annotator_labels\": [\"neutral\"], \"genre\": \"") + genre +
           "\", \"gold_label\": \"" + label +
           "\", \"pairID\": \"1n\", \"promptID\": \"1\", \"sentence1\": \"s1 " + genre +
           "\", \"sentence1_binary_parse\": \"( a )\", \"sentence1_parse\": \"(ROOT)\", \"sentence2\": "
           "\"s2\", "
           "\"sentence2_binary_parse\": \"( b )\", \"sentence2_parse\": \"(ROOT)\"}\n";
  };
  write_file(prefix + "train.jsonl", row("neutral", "government") + row("entailment", "fiction"));
  write_file(prefix + "dev_matched.jsonl", row("contradiction", "slate") + row("-", "slate"));
  write_file(prefix + "dev_mismatched.jsonl", row("entailment", "letters") + row("neutral", "verbatim"));
  auto task = make_task("mnli");
  CHECK(labels_of(task->load_split(folder, "train")) == std::vector<int>{1, 0});
  CHECK(labels_of(task->load_split(folder, "dev")) == std::vector<int>{2});
  Split test = task->load_split(folder, "test");
  CHECK(test.files == std::vector<std::string>{prefix + "dev_mismatched.jsonl"});
  REQUIRE(test.examples.size() == 2);
  CHECK(test.examples[0].text_a == "s1 letters");
}

TEST_CASE("every task's missing-split message lists its paths", "[tasks]") {
  TempDir dir;
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"ag_news", {"dev.csv"}},
      {"imdb", {"test.csv", "aclImdb/test"}},
      {"sst2", {"test.tsv", "SST-2/test.tsv"}},
      {"snli", {"dev.jsonl", "snli_1.0/snli_1.0_dev.jsonl"}},
      {"mnli", {"test_matched.jsonl", "multinli_1.0/multinli_1.0_dev_mismatched.jsonl"}}};
  for (const auto& [name, paths] : expected) {
    auto task = make_task(name);
    const std::string folder = dir / name;
    const std::string split = paths[0].find("test") != std::string::npos ? "test" : "dev";
    try {
      task->load_split(folder, split);
      FAIL("expected DataMissingError for " + name);
    } catch (const DataMissingError& e) {
      for (const auto& path : paths) CHECK_THAT(e.what(), Catch::Contains(folder + "/" + path));
      CHECK_THAT(e.what(), Catch::Contains("greenbench data fetch " + name));
    }
  }
}
