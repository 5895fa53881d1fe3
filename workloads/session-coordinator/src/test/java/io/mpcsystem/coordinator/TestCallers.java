package io.mpcsystem.coordinator;

import static io.restassured.RestAssured.given;

import io.grpc.Channel;
import io.mpcsystem.proto.CallerToken;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.restassured.specification.RequestSpecification;

/** The coordinator's two clients as the tests play them, with the tokens of the %test profile. */
final class TestCallers {
    static final String ACCOUNT_TOKEN = "account-token-for-tests-0123456789abcdef";
    static final String OPERATOR_TOKEN = "operator-token-for-tests-0123456789abcdef";

    private TestCallers() {
    }

    static RequestSpecification asAccount() {
        return given().header("Authorization", "Bearer " + ACCOUNT_TOKEN);
    }

    static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    /** A stub presenting the account service's token (parties' calls ignore it). */
    static SessionCoordinatorGrpc.SessionCoordinatorBlockingStub accountStub(Channel channel) {
        return SessionCoordinatorGrpc.newBlockingStub(channel).withInterceptors(new CallerToken(ACCOUNT_TOKEN));
    }

    static SessionCoordinatorGrpc.SessionCoordinatorStub accountAsyncStub(Channel channel) {
        return SessionCoordinatorGrpc.newStub(channel).withInterceptors(new CallerToken(ACCOUNT_TOKEN));
    }
}
