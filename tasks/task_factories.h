// Factories for the built-in tasks; registry.cpp lists them in builtin_tasks().
#pragma once

#include <memory>

#include "greenbench/task.h"

namespace greenbench {

/// AG News topic classification (4 classes).
std::unique_ptr<Task> make_ag_news_task();
/// IMDB movie-review sentiment (binary).
std::unique_ptr<Task> make_imdb_task();
/// SST-2 sentence sentiment, GLUE format (binary).
std::unique_ptr<Task> make_sst2_task();
/// SNLI natural language inference (3 classes, sentence pairs).
std::unique_ptr<Task> make_snli_task();
/// MultiNLI natural language inference (3 classes, sentence pairs).
std::unique_ptr<Task> make_mnli_task();

}  // namespace greenbench
