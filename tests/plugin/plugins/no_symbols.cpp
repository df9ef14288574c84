// A shared library that is not a greenbench plugin: it defines neither entry point.
extern "C" int some_other_library_function() { return 42; }
