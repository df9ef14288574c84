// The BERT-method kit (greenbench/bert/): the network, its training and
// calibration, the exit engine, layer subsets, one model per depth and
// checkpoints, which built-in and plugin methods built on BERT share. Its
// version rises with every change a method built on it must follow (a
// function renamed or removed, a changed meaning); test it with #if. Layout
// changes that break compiled plugins also raise GREENBENCH_PLUGIN_API_VERSION.
#pragma once

#define GREENBENCH_BERT_KIT_VERSION 1
