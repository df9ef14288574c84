// Method's out-of-line defaults: the ones that need the BERT kit's types,
// which the method interface only declares.
#include "greenbench/method.h"

#include "greenbench/bert/base_model.h"
#include "greenbench/error.h"

namespace greenbench {

BaseModel Method::provide_base_model() const {
  throw Error("this method does not provide a base model (only the one registered with provides_base_model does)");
}

}  // namespace greenbench
