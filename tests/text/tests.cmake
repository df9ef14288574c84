# Tokenizer tests: basic tokenizer, WordPiece, vocabulary files and training.
# bench_text.cpp holds hidden [.bench] timings, run by hand: test_text "[bench]".
greenbench_test(test_text
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/text/test_basic_tokenizer.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text/test_wordpiece.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text/test_vocab.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text/test_vocab_builder.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text/bench_text.cpp
  LIBS greenbench_text)
